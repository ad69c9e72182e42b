// Live reload for `fieldnotes dev`, served only by the dev server and never
// part of a built site. It listens to the server's events: `reload` names the
// pages whose HTML changed, `problems` carries the messages of a build that
// failed (shown in an overlay over the last good page), and `ok` clears them.
// Styles are set through the DOM, so a strict Content-Security-Policy holds.
;(() => {
  const here = () => {
    const path = decodeURI(location.pathname)
    return path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path
  }
  let overlay = null

  const hide = () => {
    overlay?.remove()
    overlay = null
  }

  const show = (report) => {
    hide()
    overlay = document.createElement('section')
    overlay.id = 'fieldnotes-problems'
    overlay.setAttribute('role', 'alert')
    overlay.setAttribute('aria-label', 'The report has problems')
    Object.assign(overlay.style, {
      position: 'fixed',
      inset: '0',
      zIndex: '2147483647',
      overflow: 'auto',
      padding: '2rem',
      background: 'rgba(20, 20, 20, 0.94)',
      color: '#f5f5f5',
      font: '14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    })
    const title = document.createElement('h2')
    title.textContent = report.summary
    Object.assign(title.style, { font: 'bold 18px/1.3 system-ui, sans-serif', margin: '0 0 0.5rem', color: '#ff8a80' })
    const note = document.createElement('p')
    note.textContent = 'This page is the last version that built. Fix the problems below and save: the page reloads by itself.'
    Object.assign(note.style, { font: '14px/1.5 system-ui, sans-serif', margin: '0 0 1rem' })
    const list = document.createElement('pre')
    list.textContent = report.text
    Object.assign(list.style, { whiteSpace: 'pre-wrap', margin: '0' })
    const close = document.createElement('button')
    close.type = 'button'
    close.textContent = 'Hide'
    Object.assign(close.style, { position: 'absolute', top: '1rem', right: '1rem', font: '14px system-ui, sans-serif' })
    close.addEventListener('click', hide)
    overlay.append(close, title, note, list)
    document.body.append(overlay)
  }

  const events = new EventSource('/__fieldnotes/events')
  // Lets a test (or a curious author) see that the page is listening.
  events.addEventListener('open', () => {
    document.documentElement.dataset.fieldnotesPreview = 'live'
  })
  events.addEventListener('reload', (event) => {
    const { paths } = JSON.parse(event.data)
    if (paths.includes('*') || paths.includes(here())) location.reload()
  })
  events.addEventListener('problems', (event) => show(JSON.parse(event.data)))
  events.addEventListener('ok', hide)
})()
