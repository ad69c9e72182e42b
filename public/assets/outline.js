// Marks the section being read in "On this page", which wide screens keep in view.
;(() => {
  const links = [...document.querySelectorAll('.outline a[href^="#"]')]
  const heads = links.map((a) => document.getElementById(decodeURIComponent(a.hash.slice(1))))
  if (!links.length || heads.includes(null) || !window.IntersectionObserver) return
  // The current section: the last one whose heading is above the top third of the window.
  const mark = () => {
    const current = heads.reduce((c, h, i) => (h.getBoundingClientRect().top < innerHeight / 3 ? i : c), 0)
    links.forEach((a, i) => (i === current ? a.setAttribute('aria-current', 'true') : a.removeAttribute('aria-current')))
  }
  const seen = new IntersectionObserver(mark, { rootMargin: '0px 0px -66% 0px' })
  heads.forEach((h) => seen.observe(h))
})()
