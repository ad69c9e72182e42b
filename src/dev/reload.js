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
  let bodyVisibility = ''

  const hide = () => {
    if (!overlay) return
    overlay.remove()
    overlay = null
    document.body.style.visibility = bodyVisibility
  }

  // The overlay keeps its own colours in either theme: it is drawn in a shadow root, out of reach
  // of the page's stylesheets, on a host that inherits nothing from the page. While it covers the
  // page, the page is hidden, so that keyboards and screen readers do not wander into it unseen.
  const palette = { background: '#1b1b1b', text: '#f2f2f2', title: '#ffa399', line: '#8c8c8c' }
  const styled = (tag, style, text) => {
    const el = document.createElement(tag)
    Object.assign(el.style, style)
    if (text !== undefined) el.textContent = text
    return el
  }

  const show = (report) => {
    hide()
    overlay = styled('div', { all: 'initial', position: 'fixed', inset: '0', zIndex: '2147483647' })
    overlay.id = 'fieldnotes-problems'
    const panel = styled('section', {
      position: 'absolute',
      inset: '0',
      overflow: 'auto',
      boxSizing: 'border-box',
      padding: '2rem',
      background: palette.background,
      color: palette.text,
      font: '14px/1.5 system-ui, sans-serif',
      textAlign: 'start',
    })
    panel.setAttribute('role', 'alert')
    panel.setAttribute('aria-label', 'The report has problems')
    const title = styled('h2', { font: 'bold 18px/1.3 system-ui, sans-serif', margin: '0 3rem 0.5rem 0', color: palette.title }, report.summary)
    const note = styled('p', { margin: '0 0 1rem' }, 'This page is the last version that built. Fix the problems below and save: the page reloads by itself.')
    const list = styled(
      'pre',
      { whiteSpace: 'pre-wrap', margin: '0', font: '14px/1.5 ui-monospace, Menlo, Consolas, monospace' },
      report.text,
    )
    const close = styled(
      'button',
      { position: 'absolute', top: '1rem', right: '1rem', padding: '0.25rem 0.75rem', font: '14px system-ui, sans-serif', background: palette.text, color: palette.background, border: `1px solid ${palette.line}`, borderRadius: '4px', cursor: 'pointer' },
      'Hide',
    )
    close.type = 'button'
    close.addEventListener('click', hide)
    panel.append(close, title, note, list)
    overlay.attachShadow({ mode: 'open' }).append(panel)
    bodyVisibility = document.body.style.visibility
    // The host's `all: initial` makes it visible again inside the hidden body.
    document.body.style.visibility = 'hidden'
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
