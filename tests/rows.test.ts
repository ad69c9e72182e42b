// The long lists of the index pages are made in code (src/render/rows.ts), as
// the Liquid loops the built-in templates had made them. Those loops are kept
// here, and both are run on the same random data: escaping, plurals, empty
// lists, whitespace, each byte the same.

import { describe, expect, it } from 'vitest'
import { evidenceBodies, findingSections, recommendationRows, type FindingRow, type RecommendationRow } from '../src/render/rows.js'
import { createEngine } from '../src/render/templates.js'

/** The loops as the built-in templates had them, each between text that shows what whitespace it leaves. */
const loops = new Map([
  ['findings.liquid', `<p>Before</p>
  {%- for theme in page.themes %}
  <section aria-labelledby="theme-{{ forloop.index }}">
    <h2 id="theme-{{ forloop.index }}"><a href="{{ page.root }}{{ theme.url }}">{{ theme.title }}</a></h2>
    <ol class="finding-list">
      {%- for f in theme.findings %}
      <li{% if f.anchor %} id="{{ f.anchor }}"{% endif %}>
        <a class="finding-link" href="{{ page.root }}{{ f.url }}"><span class="item-number">Finding {{ f.number }}</span> {{ f.title }}</a>
        {%- if f.summary != '' %}
        <p class="finding-summary">{{ f.summary }}</p>
        {%- endif %}
        <p class="evidence-count">{{ f.quoteCount }} {% if f.quoteCount == 1 %}quote{% else %}quotes{% endif %} from {{ f.participantCount }} {% if f.participantCount == 1 %}participant{% else %}participants{% endif %}</p>
        {%- if f.recommendations.size > 0 %}
        <p class="addressed-by">Addressed by
          {%- for r in f.recommendations %} <a class="compact-ref" href="{{ page.root }}{{ r.url }}">{{ r.label }}<span class="visually-hidden">: {{ r.title }}</span></a>{% unless forloop.last %},{% endunless %}{% endfor %}</p>
        {%- else %}
        <p class="addressed-by">Not yet addressed by a recommendation.</p>
        {%- endif %}
      </li>
      {%- endfor %}
    </ol>
  </section>
  {%- else %}
  <p>This report has no findings yet.</p>
  {%- endfor %}
  </div>`],
  ['evidence-grid.liquid', `    </thead>
    {%- for theme in page.themes %}
    <tbody>
      <tr class="theme-row"><th scope="rowgroup" colspan="{{ page.columns.size | plus: 3 }}">{{ theme.title }}</th></tr>
      {%- for row in theme.rows %}
      <tr>
        <th scope="row"><a href="{{ page.root }}{{ row.url }}">{{ row.number }}. {{ row.title }}</a></th>
        <td data-label="Quotes">{{ row.quoteCount }} <meter aria-hidden="true" value="{{ row.quoteCount }}" max="{{ page.most.quotes }}"></meter></td><td data-label="Participants">{{ row.participantCount }} <meter aria-hidden="true" value="{{ row.participantCount }}" max="{{ page.most.participants }}"></meter></td>
        {%- for cell in row.cells -%}
        {%- if cell %}<td class="hit"><span class="sr-only">Addressed</span></td>{% else %}<td><span class="sr-only">Not addressed</span></td>{% endif -%}
        {%- endfor %}
      </tr>
      {%- endfor %}
    </tbody>
    {%- endfor %}
  </table>`],
  ['evidence-list.liquid', `    </thead>
    {%- for theme in page.themes %}
    <tbody>
      <tr class="theme-row"><th scope="rowgroup" colspan="4">{{ theme.title }}</th></tr>
      {%- for row in theme.rows %}
      <tr>
        <th scope="row"><a href="{{ page.root }}{{ row.url }}">{{ row.number }}. {{ row.title }}</a></th>
        <td data-label="Quotes">{{ row.quoteCount }} <meter aria-hidden="true" value="{{ row.quoteCount }}" max="{{ page.most.quotes }}"></meter></td><td data-label="Participants">{{ row.participantCount }} <meter aria-hidden="true" value="{{ row.participantCount }}" max="{{ page.most.participants }}"></meter></td>
        <td data-label="Addressed by">{% for r in row.recommendations %}<a href="{{ page.root }}{{ r.url }}" title="Recommendation {{ r.number }}: {{ r.title }}">R{{ r.number }}</a>{% unless forloop.last %}, {% endunless %}{% else %}Not addressed yet{% endfor %}</td>
      </tr>
      {%- endfor %}
    </tbody>
    {%- endfor %}
  </table>`],
  ['recommendations.liquid', `    <tbody>
      {%- for r in page.recommendations %}
      <tr{% if r.anchor %} id="{{ r.anchor }}"{% endif %}>
        <td data-label="No.">{{ r.number }}</td>
        <th scope="row"><a href="{{ page.root }}{{ r.url }}">{{ r.title }}</a></th>
        <td data-label="Audience">{{ r.audience | default: '—' }}</td>
        <td data-label="Horizon">{{ r.horizons | default: '—' }}</td>
        <td data-label="Addresses">
          {%- if r.findings.size > 0 %}
          {%- for f in r.findings %}<a class="compact-ref" href="{{ page.root }}{{ f.url }}">{{ f.label }}<span class="visually-hidden">: {{ f.title }}</span></a>{% unless forloop.last %}, {% endunless %}{% endfor %}
          {%- else %}—{% endif %}
        </td>
      </tr>
      {%- endfor %}
    </tbody>`],
])

/** The same, with the filters the built-in templates call now. */
const filters = new Map([
  ['findings.liquid', '<p>Before</p>\n  {%- if page.themes.size > 0 %}{{ page.themes | finding_sections: page.root | raw }}{% else %}\n  <p>This report has no findings yet.</p>\n  {%- endif %}\n  </div>'],
  ['evidence-grid.liquid', '    </thead>\n    {{- page | evidence_rows: page.root | raw }}\n  </table>'],
  ['evidence-list.liquid', '    </thead>\n    {{- page | evidence_rows: page.root | raw }}\n  </table>'],
  ['recommendations.liquid', '    <tbody>\n      {{- page.recommendations | recommendation_rows: page.root | raw }}\n    </tbody>'],
])

/** A seeded generator (mulberry32), so that a failure can be run again. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pageData(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  const count = (most: number) => Math.floor(next() * (most + 1))
  // Text that escaping must change, text it must not, and text Liquid would print otherwise if it were not a string.
  const text = () => pick(['Plain words', 'Tom & Jerry <b>"quoted"</b> it\'s', 'Ünïcode — “curly” ✓', '', ' ', '0', 'false', '{{ page.root }}', '&amp; already'])
  const id = () => pick(['f-1', 'r-2', 'a"b', 'x&y', ''])
  const link = () => ({ number: 1 + count(40), label: pick(['R1', 'F12', '<R>']), title: text(), url: pick(['chapters/a/#f-1', 'b/?q=1&r=2', '']) })
  const columns = count(5)
  const finding = (): FindingRow & { cells: boolean[] } => ({
    anchor: next() < 0.5 ? null : id(),
    number: 1 + count(2000),
    title: text(),
    summary: pick(['', 'A summary with <em> & "marks"', 'Short.']),
    url: pick(['chapters/a/#f-1', 'x/#y&z']),
    quoteCount: count(3),
    participantCount: count(3),
    recommendations: Array.from({ length: count(3) }, link),
    cells: Array.from({ length: columns }, () => next() < 0.5),
  })
  const themes = Array.from({ length: count(3) }, () => {
    const findings = Array.from({ length: count(3) }, finding)
    return { title: text(), url: pick(['chapters/a/', 'x&y/']), findings, rows: findings }
  })
  const recommendations: RecommendationRow[] = Array.from({ length: count(4) }, () => ({
    anchor: next() < 0.5 ? null : id(),
    number: 1 + count(300),
    title: text(),
    url: pick(['chapters/b/#r-1', '']),
    audience: pick([null, '', 'Maintainers & <funders>']),
    horizons: pick(['', 'Now, Later']),
    findings: Array.from({ length: count(3) }, link),
  }))
  return { root: pick(['', '../', '../../', "'../'"]), themes, recommendations, columns: Array.from({ length: columns }, link), most: { quotes: 1 + count(9), participants: 1 + count(9) } }
}

describe('the index pages\' lists made in code', () => {
  const reference = createEngine(loops)
  const ours = createEngine(filters)

  it('are what the templates\' loops made, byte for byte, on 500 random pages', () => {
    const next = random(20261201)
    const seen = new Set<string>()
    for (let run = 0; run < 500; run++) {
      const page = pageData(next)
      for (const [name, matrix] of [['findings.liquid', false], ['evidence-grid.liquid', true], ['evidence-list.liquid', false], ['recommendations.liquid', false]] as const) {
        const expected = reference.renderFileSync(name, { page: { ...page, matrix } }) as string
        expect(ours.renderFileSync(name, { page: { ...page, matrix } }), `${name}, run ${run}`).toBe(expected)
        seen.add(`${name} ${(name === 'recommendations.liquid' ? page.recommendations : page.themes).length > 0}`)
      }
    }
    // Every list was made empty and not.
    expect(seen.size).toBe(8)
  })

  it('say what they take, to an override that gives them something else', () => {
    const misused = createEngine(new Map([
      ['a.liquid', '{{ page.title | finding_sections: page.root | raw }}'],
      ['b.liquid', '{{ page.themes | finding_sections | raw }}'],
      ['c.liquid', '{{ page.themes | evidence_rows: page.root | raw }}'],
      ['d.liquid', '{{ page | recommendation_rows: page.root | raw }}'],
    ]))
    const page = { title: 'T', root: '../', themes: [], recommendations: [] }
    expect(() => misused.renderFileSync('a.liquid', { page })).toThrow('The filter finding_sections takes page.themes, as the built-in template gives it: `{{ page.themes | finding_sections: page.root | raw }}`')
    expect(() => misused.renderFileSync('b.liquid', { page })).toThrow("The filter finding_sections takes the way to the site's root after it: `finding_sections: page.root`")
    expect(() => misused.renderFileSync('c.liquid', { page })).toThrow('The filter evidence_rows takes page')
    expect(() => misused.renderFileSync('d.liquid', { page })).toThrow('The filter recommendation_rows takes page.recommendations')
  })

  it('escape what the templates escape', () => {
    const row: FindingRow = { anchor: 'a"b', number: 3, title: '<script>', summary: "it's", url: '?a=1&b=2', quoteCount: 1, participantCount: 2, recommendations: [] }
    const html = findingSections([{ title: 'T & U', url: 'u/', findings: [row] }], '../')
    expect(html).toContain('id="a&#34;b"')
    expect(html).toContain('&lt;script&gt;')
    expect(html).toContain('it&#39;s')
    expect(html).toContain('href="../?a=1&amp;b=2"')
    expect(html).toContain('T &amp; U')
    expect(html).toContain('1 quote from 2 participants')
    expect(evidenceBodies({ matrix: false, columns: [], most: { quotes: 1, participants: 1 }, themes: [{ title: 't', rows: [{ ...row, cells: [] }] }] }, '')).toContain('Not addressed yet')
    expect(recommendationRows([{ anchor: null, number: 1, title: 't', url: 'u', audience: null, horizons: '', findings: [] }], '')).toContain('<td data-label="Audience">—</td>')
  })
})
