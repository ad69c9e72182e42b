// The recommendations index, made sortable and filterable by audience and
// horizon. Without JavaScript it stays the full table, in report order.
;(() => {
  const table = document.querySelector('.recommendations-table')
  const body = table && table.tBodies[0]
  if (!body) return
  const rows = [...body.rows]
  const horizons = ['short', 'medium', 'long', 'ongoing']
  const cell = (row, i) => (row.cells[i] ? row.cells[i].textContent.trim() : '')
  const horizonsOf = (row) => cell(row, 3).split(/,\s*/).filter((h) => horizons.includes(h))
  const columns = [
    { label: 'number', key: (row) => Number(cell(row, 0)) || 0 },
    { label: 'title', key: (row) => cell(row, 1).toLowerCase() },
    { label: 'audience', key: (row) => cell(row, 2).toLowerCase() },
    { label: 'horizon', key: (row) => horizonsOf(row).map((h) => horizons.indexOf(h)).concat(9)[0] },
  ]
  const make = (tag, props = {}, text = '') => {
    const el = document.createElement(tag)
    for (const [key, value] of Object.entries(props)) el.setAttribute(key, value)
    if (text) el.textContent = text
    return el
  }

  // Filters, above the table.
  const params = new URLSearchParams(location.search)
  // The page keeps an empty place for the controls, so the table does not move when they arrive.
  const controls = document.querySelector('.table-controls') ?? make('div', { class: 'table-controls' })
  const audienceField = make('div', { class: 'table-control' })
  const audience = make('input', { type: 'search', id: 'filter-audience', autocomplete: 'off' })
  audience.value = params.get('audience') ?? ''
  audienceField.append(make('label', { for: 'filter-audience' }, 'Audience includes'), audience)
  const horizonField = make('div', { class: 'table-control' })
  const horizon = make('select', { id: 'filter-horizon' })
  horizon.append(make('option', { value: '' }, 'Any horizon'))
  const present = new Set(rows.flatMap(horizonsOf))
  for (const h of horizons) if (present.has(h)) horizon.append(make('option', { value: h }, h))
  horizon.value = present.has(params.get('horizon')) ? params.get('horizon') : ''
  horizonField.append(make('label', { for: 'filter-horizon' }, 'Horizon'), horizon)
  const reset = make('button', { type: 'button', class: 'table-reset' }, 'Show all')
  const count = make('p', { class: 'table-count', role: 'status' })
  controls.append(audienceField, horizonField, reset, count)
  if (!controls.isConnected) (table.closest('.table-wrap') ?? table).before(controls)

  const filter = () => {
    const words = audience.value.trim().toLowerCase()
    let shown = 0
    for (const row of rows) {
      const visible = (!words || cell(row, 2).toLowerCase().includes(words)) && (!horizon.value || horizonsOf(row).includes(horizon.value))
      row.hidden = !visible
      if (visible) shown++
    }
    count.textContent =
      shown === rows.length
        ? `Showing all ${rows.length} recommendations.`
        : shown === 0
          ? `No recommendation matches. Choose "Show all" to see all ${rows.length}.`
          : `Showing ${shown} of ${rows.length} recommendations.`
    const query = new URLSearchParams()
    if (words) query.set('audience', audience.value.trim())
    if (horizon.value) query.set('horizon', horizon.value)
    history.replaceState(history.state, '', `${location.pathname}${query.size ? `?${query}` : ''}${location.hash}`)
  }
  audience.addEventListener('input', filter)
  horizon.addEventListener('change', filter)
  reset.addEventListener('click', () => {
    audience.value = ''
    horizon.value = ''
    filter()
  })

  // Sorting, from buttons in the column headers.
  const headers = [...table.tHead.rows[0].cells]
  let sorted = { column: 0, direction: 1 }
  const sort = () => {
    const { key } = columns[sorted.column]
    const order = [...rows].sort((a, b) => {
      const x = key(a)
      const y = key(b)
      return (x < y ? -1 : x > y ? 1 : Number(cell(a, 0)) - Number(cell(b, 0))) * sorted.direction
    })
    body.append(...order)
    headers.forEach((th, i) => {
      if (i === sorted.column) th.setAttribute('aria-sort', sorted.direction === 1 ? 'ascending' : 'descending')
      else th.removeAttribute('aria-sort')
    })
  }
  columns.forEach((column, i) => {
    const th = headers[i]
    if (!th) return
    const button = make('button', { type: 'button', class: 'sort-button' }, th.textContent.trim())
    button.append(make('span', { class: 'sort-mark', 'aria-hidden': 'true' }))
    button.addEventListener('click', () => {
      sorted = { column: i, direction: sorted.column === i ? -sorted.direction : 1 }
      sort()
    })
    th.replaceChildren(button)
  })
  table.querySelector('caption')?.append(make('span', { class: 'visually-hidden' }, ', sortable by the column buttons'))
  // The table arrives in report order, which is sorted by number: mark it, and move rows only when asked.
  headers[0]?.setAttribute('aria-sort', 'ascending')
  if (audience.value || horizon.value) filter()
  else count.textContent = `Showing all ${rows.length} recommendations.`
})()
