// Enhancements for every page, each optional: the theme toggle, copy buttons
// for the citation, and previews of cross-references to findings and
// recommendations. Without JavaScript the page is complete as it is.
;(() => {
  const root = new URL('..', document.currentScript.src)
  const storageKey = 'fieldnotes-theme'

  const make = (tag, props = {}, text = '') => {
    const el = document.createElement(tag)
    for (const [key, value] of Object.entries(props)) el.setAttribute(key, value)
    if (text) el.textContent = text
    return el
  }

  // ---- Theme toggle: made here, so without JavaScript there is no dead button.
  const header = document.querySelector('.theme-slot')
  if (header) {
    const dark = matchMedia('(prefers-color-scheme: dark)')
    // An icon button: its name, "Dark theme", is read out and shown on hover; pressed means dark.
    const button = make('button', { type: 'button', class: 'theme-toggle', 'aria-pressed': 'false', title: 'Dark theme' })
    button.append(make('span', { class: 'visually-hidden' }, 'Dark theme'))
    const isDark = () => {
      const chosen = document.documentElement.getAttribute('data-theme')
      return chosen ? chosen === 'dark' : dark.matches
    }
    const show = () => button.setAttribute('aria-pressed', String(isDark()))
    button.addEventListener('click', () => {
      const next = isDark() ? 'light' : 'dark'
      document.documentElement.setAttribute('data-theme', next)
      try {
        localStorage.setItem(storageKey, next)
      } catch (error) {
        // Not remembered, but still applied to this page.
      }
      show()
    })
    dark.addEventListener('change', show)
    show()
    header.append(button)
  }

  // ---- Copy buttons for "Cite this report".
  const addCopy = (source, label) => {
    const row = make('div', { class: 'copy-row' })
    const button = make('button', { type: 'button', class: 'copy-button' }, label)
    const status = make('span', { class: 'copy-status', role: 'status' })
    let timer
    button.addEventListener('click', async () => {
      const text = source.textContent.trim()
      try {
        await navigator.clipboard.writeText(text)
        status.textContent = 'Copied.'
      } catch (error) {
        const range = document.createRange()
        range.selectNodeContents(source)
        getSelection().removeAllRanges()
        getSelection().addRange(range)
        status.textContent = 'Selected: press Ctrl+C (or ⌘C) to copy.'
      }
      clearTimeout(timer)
      timer = setTimeout(() => (status.textContent = ''), 5000)
    })
    row.append(button, status)
    return row
  }
  for (const cite of document.querySelectorAll('.cite')) {
    const plain = cite.querySelector('.citation')
    if (plain) plain.after(addCopy(plain, 'Copy citation'))
    const bibtex = cite.querySelector('.bibtex pre')
    if (bibtex) bibtex.after(addCopy(bibtex, 'Copy BibTeX'))
  }

  // ---- Reference previews: number, title and first paragraph of a finding or
  // recommendation, on hover or focus of a link to it. On touch, the first tap
  // shows the preview and a second tap follows the link. Escape closes it.
  const main = document.querySelector('main')
  if (!main) return
  let items
  const load = () => {
    items ??= fetch(new URL('assets/previews.json', root))
      .then((response) => (response.ok ? response.json() : { items: {} }))
      .then((data) => data.items ?? {})
      .catch(() => ({}))
    return items
  }
  let loaded
  const itemFor = (link) => {
    if (!loaded || !link.hash) return undefined
    const id = decodeURIComponent(link.hash.slice(1))
    const item = Object.hasOwn(loaded, id) ? loaded[id] : undefined
    if (!item) return undefined
    const target = new URL(item.url, root)
    if (link.origin === target.origin && link.pathname === target.pathname) return item
    const here = link.pathname === location.pathname && document.getElementById(id)
    return here && here.matches('.finding, .recommendation') ? item : undefined
  }
  const referenceAt = (node) => {
    const link = node instanceof Element ? node.closest('a[href*="#"]') : null
    return link && main.contains(link) ? link : null
  }

  const popup = make('div', { class: 'reference-preview', id: 'reference-preview', role: 'tooltip', hidden: '' })
  const popupLabel = make('p', { class: 'preview-label' })
  const popupTitle = make('p', { class: 'preview-title' })
  const popupSummary = make('p', { class: 'preview-summary' })
  popup.append(popupLabel, popupTitle, popupSummary)
  // Inside <main>, so the preview belongs to the page's landmarks like the link that opens it.
  main.append(popup)

  let current = null
  let hideTimer
  let showTimer
  const hide = () => {
    clearTimeout(hideTimer)
    clearTimeout(showTimer)
    if (current) current.removeAttribute('aria-describedby')
    current = null
    popup.hidden = true
  }
  const show = (link, item) => {
    clearTimeout(hideTimer)
    if (current && current !== link) current.removeAttribute('aria-describedby')
    current = link
    popup.dataset.kind = item.kind
    popupLabel.textContent = item.label
    popupTitle.textContent = item.title
    popupSummary.textContent = item.summary
    popupSummary.hidden = !item.summary
    popup.hidden = false
    link.setAttribute('aria-describedby', popup.id)
    const box = link.getBoundingClientRect()
    const width = document.documentElement.clientWidth
    const left = Math.max(8, Math.min(box.left, width - popup.offsetWidth - 8))
    const below = box.bottom + 8
    const fitsBelow = below + popup.offsetHeight < innerHeight || box.top < popup.offsetHeight + 16
    const top = fitsBelow ? below : box.top - popup.offsetHeight - 8
    // Coordinates are the viewport's; the preview is placed relative to its positioned ancestor (or the page).
    const origin = (popup.offsetParent ?? document.body).getBoundingClientRect()
    popup.style.left = `${left - origin.left}px`
    popup.style.top = `${top - origin.top}px`
  }
  const showFor = async (link, delay) => {
    await load().then((data) => (loaded = data))
    const item = itemFor(link)
    if (!item) return false
    clearTimeout(showTimer)
    if (delay) showTimer = setTimeout(() => show(link, item), delay)
    else show(link, item)
    return true
  }
  const hideSoon = () => {
    clearTimeout(showTimer)
    clearTimeout(hideTimer)
    hideTimer = setTimeout(hide, 300)
  }

  let lastPointer = 'mouse'
  document.addEventListener('pointerdown', (event) => {
    lastPointer = event.pointerType
    if (!popup.contains(event.target) && referenceAt(event.target) !== current) hide()
  })
  main.addEventListener('pointerover', (event) => {
    if (event.pointerType === 'touch') return
    const link = referenceAt(event.target)
    if (link) showFor(link, link === current ? 0 : 250)
  })
  main.addEventListener('pointerout', (event) => {
    const link = referenceAt(event.target)
    if (link && !popup.contains(event.relatedTarget) && !link.contains(event.relatedTarget)) hideSoon()
  })
  popup.addEventListener('pointerover', () => clearTimeout(hideTimer))
  popup.addEventListener('pointerout', (event) => {
    if (!popup.contains(event.relatedTarget) && event.relatedTarget !== current) hideSoon()
  })
  // Keyboard focus only: a tap or click also focuses the link, and is handled above and below.
  main.addEventListener('focusin', (event) => {
    const link = referenceAt(event.target)
    if (link && link.matches(':focus-visible')) showFor(link, 0)
  })
  main.addEventListener('focusout', (event) => {
    if (referenceAt(event.target) === current) hide()
  })
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && current) hide()
  })
  main.addEventListener('click', (event) => {
    const link = referenceAt(event.target)
    if (!link || lastPointer !== 'touch' || link === current) return
    if (loaded) {
      const item = itemFor(link)
      if (!item) return
      event.preventDefault()
      show(link, item)
      return
    }
    // First touch before the previews have loaded: decide once they have.
    event.preventDefault()
    showFor(link, 0).then((shown) => {
      if (!shown) location.href = link.href
    })
  })
  if (matchMedia('(hover: none)').matches) load().then((data) => (loaded = data))
})()
