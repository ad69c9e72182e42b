// The search page: runs the query in `?q=` (or typed in its form) against the
// Pagefind index built with the site, entirely in the browser. Findings and
// recommendations come back as results of their own.
const form = document.getElementById('search-form')
const input = document.getElementById('search-query')
const status = document.getElementById('search-status')
const results = document.getElementById('search-results')
// The page explains what to do without JavaScript; with it, that note is not needed.
document.getElementById('search-fallback')?.remove()
let engine

const make = (tag, props = {}, text = '') => {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) el.setAttribute(key, value)
  if (text) el.textContent = text
  return el
}

// The index is in shards (pagefind/shards.json): the first is loaded, and the others are merged
// into it, searched with its WebAssembly, so each adds only its own index files to fetch.
const load = () => {
  engine ??= (async () => {
    const listed = await fetch(new URL('../pagefind/shards.json', import.meta.url), { cache: 'no-cache' })
    if (!listed.ok) throw new Error(`The list of search shards: ${listed.status}`)
    const { shards } = await listed.json()
    const folder = (hash) => new URL(`../pagefind/${hash}/`, import.meta.url)
    const pagefind = await import(new URL('pagefind.js', folder(shards[0])).href)
    const options = { excerptLength: 28 }
    await pagefind.options(options)
    await Promise.all(shards.slice(1).map((hash) => pagefind.mergeIndex(folder(hash).pathname, options)))
    return { pagefind, sharded: shards.length > 1 }
  })()
  return engine
}

// In shards, a word no word of one shard begins with is left out of that shard's search, which then
// finds pages with the other words only: one index would not. So with several words, a result is kept
// only where each word the site has is found, as one index keeps it.
const search = async ({ pagefind, sharded }, query) => {
  const found = await pagefind.search(query)
  const words = query.trim().split(/\s+/)
  if (!sharded || words.length < 2) return found.results
  const each = await Promise.all(words.map((word) => pagefind.search(word)))
  const having = each.filter((one) => one.results.length > 0).map((one) => new Set(one.results.map((result) => result.id)))
  return found.results.filter((result) => having.every((ids) => ids.has(result.id)))
}

// Pagefind's excerpts are escaped text with <mark> around matches: rebuild them as nodes, never as HTML.
const entities = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" }
const excerptNodes = (excerpt) =>
  excerpt.split(/(<mark>.*?<\/mark>)/).map((part) => {
    const marked = part.startsWith('<mark>')
    const text = (marked ? part.slice(6, -7) : part).replace(/&(amp|lt|gt|quot|#39|#x27);/g, (e) => entities[e])
    return marked ? make('mark', {}, text) : document.createTextNode(text)
  })

const run = async (query) => {
  results.replaceChildren()
  if (!query.trim()) {
    status.textContent = 'Type a word or phrase, then press Search.'
    return
  }
  status.textContent = 'Searching…'
  try {
    const found = await search(await load(), query)
    const shown = await Promise.all(found.slice(0, 30).map((result) => result.data()))
    const list = make('ol', { class: 'search-results' })
    for (const data of shown) {
      const item = make('li')
      const kind = make('p', { class: 'result-kind' }, data.meta.chapter ? `${data.meta.kind} · ${data.meta.chapter}` : 'Page')
      const heading = make('h2', { class: 'result-title' })
      heading.append(make('a', { href: data.url }, data.meta.title ?? data.url))
      const excerpt = make('p', { class: 'result-excerpt' })
      excerpt.append(...excerptNodes(data.excerpt ?? ''))
      item.append(heading, kind, excerpt)
      list.append(item)
    }
    if (shown.length > 0) results.append(list)
    const total = found.length
    status.textContent =
      total === 0
        ? `Nothing found for “${query}”. Try fewer or other words.`
        : `${total} ${total === 1 ? 'result' : 'results'} for “${query}”${total > shown.length ? `, showing the first ${shown.length}` : ''}.`
  } catch (error) {
    status.textContent = 'The search index could not be loaded. The findings and recommendations pages list everything in the report.'
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  const query = input.value
  history.replaceState(null, '', query ? `?q=${encodeURIComponent(query)}` : location.pathname)
  run(query)
})
const initial = new URLSearchParams(location.search).get('q') ?? ''
input.value = initial
if (initial) run(initial)
