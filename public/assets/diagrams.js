// Draws the page's `{mermaid}` diagrams with Mermaid (assets/mermaid.min.js,
// which only pages with diagrams load, before this file). Until then, and
// without script, each diagram's source stays readable as text. Mermaid's
// strict security level keeps labels as text: no HTML and no click handlers
// from content. Diagrams are drawn one at a time, as Mermaid expects.
;(function () {
  var boxes = document.querySelectorAll('.diagram-mermaid')
  var mermaid = window.mermaid
  if (!mermaid || boxes.length === 0) return
  var root = document.documentElement
  var chosen = root.getAttribute('data-theme')
  var dark = chosen === 'dark' || (chosen !== 'light' && window.matchMedia('(prefers-color-scheme: dark)').matches)
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' })

  function draw(i) {
    if (i >= boxes.length) return
    var box = boxes[i]
    var source = box.querySelector('.diagram-source')
    var id = 'diagram-' + (i + 1)
    var done = function () { draw(i + 1) }
    if (!source) return done()
    mermaid.render(id, source.textContent).then(function (result) {
      var holder = document.createElement('div')
      holder.innerHTML = result.svg
      var svg = holder.querySelector('svg')
      if (!svg) throw new Error('Mermaid drew nothing')
      // The drawing is one image to assistive technology; its source, in the page's text, is what it says.
      svg.setAttribute('role', 'img')
      if (!svg.getAttribute('aria-label') && !svg.getAttribute('aria-labelledby')) svg.setAttribute('aria-label', 'Diagram: ' + source.textContent.trim().split('\n')[0])
      box.replaceChild(svg, source)
      box.classList.add('diagram-drawn')
    }).catch(function () {
      // A diagram Mermaid cannot read stays as its source; Mermaid's own scratch element goes.
      var scratch = document.getElementById('d' + id)
      if (scratch) scratch.remove()
      box.classList.add('diagram-failed')
    }).then(done)
  }
  draw(0)
})()
