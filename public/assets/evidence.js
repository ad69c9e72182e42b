// The evidence map, sorted by finding, quotes or participants from buttons in
// their headers; rows move within their theme. Without JavaScript: report order.
;(() => {
  const table = document.querySelector('.evidence-map :is(.evidence-table, .evidence-list)')
  if (!table) return
  const heads = [...table.tHead.rows[0].cells].slice(0, 3)
  const key = (row, i) => parseInt(row.cells[i].textContent, 10) || 0
  let by = 0
  let way = 1
  heads.forEach((th, i) => {
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'sort-button'
    button.innerHTML = `${th.textContent.trim()}<span class="sort-mark" aria-hidden="true"></span>`
    button.onclick = () => {
      // Counts sort most first; a second click reverses.
      way = by === i ? -way : i ? -1 : 1
      by = i
      for (const body of table.tBodies) {
        const rows = [...body.rows].filter((r) => !r.classList.contains('theme-row'))
        body.append(...rows.sort((a, b) => (key(a, i) - key(b, i)) * way || key(a, 0) - key(b, 0)))
      }
      heads.forEach((h, j) => (j === i ? h.setAttribute('aria-sort', way > 0 ? 'ascending' : 'descending') : h.removeAttribute('aria-sort')))
    }
    th.replaceChildren(button)
  })
  heads[0].setAttribute('aria-sort', 'ascending')
  table.caption?.insertAdjacentHTML('beforeend', '<span class="sr-only">, sortable by the column buttons</span>')
})()
