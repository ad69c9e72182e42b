// A "Copy link" button beside each permalink: a heading's link to itself, a
// finding's or recommendation's number, a quote's `#`. It copies the page's
// address with the anchor and says so in a live region. Without JavaScript the
// permalinks still work as links.
;(() => {
  const main = document.querySelector('main')
  if (!main) return
  const status = document.createElement('p')
  status.className = 'visually-hidden'
  status.setAttribute('role', 'status')
  main.append(status)
  let timer
  const say = (message) => {
    // Emptied first, so that the same message twice is announced twice.
    status.textContent = ''
    clearTimeout(timer)
    timer = setTimeout(() => {
      status.textContent = message
      timer = setTimeout(() => (status.textContent = ''), 6000)
    }, 50)
  }
  const links = main.querySelectorAll('a.item-number[href^="#"], a.permalink[href^="#"]')
  for (const link of links) {
    const what = link.matches('.item-number') ? link.textContent.trim() : link.parentElement.matches('.quote') ? 'this quote' : 'this section'
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'copy-link'
    button.textContent = 'Copy link'
    button.setAttribute('aria-label', `Copy link to ${what}`)
    button.addEventListener('click', async () => {
      const url = new URL(link.getAttribute('href'), location.href).href
      try {
        await navigator.clipboard.writeText(url)
        say(`Link to ${what} copied.`)
      } catch (error) {
        // No clipboard (an insecure page, a refusal): the address bar holds the link instead.
        history.replaceState(history.state, '', url)
        say(`Could not copy; the address bar now shows the link to ${what}.`)
      }
    })
    if (link.parentElement.matches('.quote')) link.after(button)
    else link.parentElement.append(button)
  }
})()
