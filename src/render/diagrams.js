// Draws the page's `{mermaid}` diagrams with Mermaid (assets/mermaid.min.js,
// which only pages with diagrams load, before this file). Until then, and
// without script, each diagram's source stays readable as text. Mermaid's
// strict security level keeps labels as text: no HTML and no click handlers
// from content. Diagrams are drawn one at a time, as Mermaid expects, in the
// colours of the page's theme, and drawn again when the reader switches it.
;(function () {
  var mermaid = window.mermaid
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.diagram-mermaid'))
  if (!mermaid || boxes.length === 0) return
  var root = document.documentElement
  var sources = boxes.map(function (box) {
    var source = box.querySelector('.diagram-source')
    return source ? source.textContent : ''
  })

  // The theme's colours, read from the style sheet; Mermaid takes hex colours only.
  function colours() {
    var style = window.getComputedStyle(root)
    var read = function (name, fallback) {
      var value = style.getPropertyValue(name).trim()
      return /^#[0-9a-f]{3,8}$/i.test(value) ? value : fallback
    }
    var dark = style.getPropertyValue('color-scheme').trim() === 'dark'
    var text = read('--text', dark ? '#e8e6e1' : '#1c1e21')
    var bg = read('--bg', dark ? '#16181b' : '#fcfbf8')
    return {
      darkMode: dark,
      background: bg,
      mainBkg: read('--surface', bg),
      primaryColor: read('--surface', bg),
      primaryTextColor: text,
      primaryBorderColor: read('--ui-border', text),
      secondaryColor: read('--surface-2', bg),
      tertiaryColor: bg,
      textColor: text,
      lineColor: read('--muted', text),
      edgeLabelBackground: bg,
      actorBkg: read('--surface', bg),
      actorTextColor: text,
      signalColor: text,
      signalTextColor: text,
      noteBkgColor: read('--surface-2', bg),
      noteTextColor: text,
    }
  }

  var round = 0
  function drawAll() {
    var mine = ++round
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'base', themeVariables: colours() })
    var draw = function (i) {
      // A newer round (the theme changed meanwhile) takes over.
      if (i >= boxes.length || mine !== round) return
      var box = boxes[i]
      var id = 'diagram-' + (i + 1)
      var next = function () { draw(i + 1) }
      if (sources[i].trim() === '') return next()
      mermaid.render(id, sources[i]).then(function (result) {
        var holder = document.createElement('div')
        holder.innerHTML = result.svg
        var svg = holder.querySelector('svg')
        if (!svg) throw new Error('Mermaid drew nothing')
        // One image to assistive technology, named by the diagram's first line unless it has a title of its own.
        svg.setAttribute('role', 'img')
        if (!svg.getAttribute('aria-labelledby')) svg.setAttribute('aria-label', 'Diagram: ' + sources[i].trim().split('\n')[0])
        box.replaceChildren(svg)
        box.classList.remove('diagram-failed')
        box.classList.add('diagram-drawn')
      }).catch(function () {
        // A diagram Mermaid cannot read stays as its source; Mermaid's own scratch element goes.
        var scratch = document.getElementById('d' + id)
        if (scratch) scratch.remove()
        box.classList.add('diagram-failed')
      }).then(next)
    }
    draw(0)
  }

  drawAll()
  new MutationObserver(drawAll).observe(root, { attributes: true, attributeFilter: ['data-theme'] })
})()
