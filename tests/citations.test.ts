// Citations from BibTeX, in both dialects: every form, the messages, APA's
// formatting and order, references per page, the bibliography page, and a
// CSL style of the author's own.

import { describe, expect, it } from 'vitest'
import { buildInMemory, select, selectAll, text, texts, where } from './helpers.js'

const bib = `% Five kinds of work.
@article{smith2020,
  author = {Smith, Jane and Doe, John},
  title = {Maintaining open source as care work},
  journal = {Journal of Open Research},
  year = {2020}, volume = {12}, number = {3}, pages = {45--67},
  doi = {10.1234/jor.2020.45}
}
@book{lee2018,
  author = {Lee, Ann},
  title = {Communities of Practice in Software},
  publisher = {Example Press},
  year = {2018}
}
@incollection{kim2019,
  author = {Kim, Bo},
  title = {Mentoring newcomers},
  booktitle = {Handbook of Open Collaboration},
  editor = {Park, Chris},
  publisher = {Example Press},
  pages = {10--20},
  year = {2019}
}
@techreport{ng2021,
  author = {Ng, Li},
  title = {Sustaining research software},
  institution = {Research Software Institute},
  number = {RSI-7},
  year = {2021}
}
@online{jupyter2022,
  author = {{Project Jupyter}},
  title = {JupyterHub documentation},
  url = {https://jupyterhub.readthedocs.io},
  urldate = {2024-05-01},
  year = {2022}
}
`

/** The citations of a page, as readers see them. */
const cited = (site: ReturnType<typeof buildInMemory>, page: string) => texts(site.page(page), '.citation-inline')

describe('citations in our own dialect', () => {
  const site = buildInMemory({
    'report.yml': 'title: Cited\n',
    'references.bib': bib,
    'index.md': [
      '# Home',
      '',
      'One [@smith2020]. Two with a page [@lee2018; @kim2019, p. 3]. A prefix [see @ng2021].',
      'The year only [-@jupyter2022]. Narrative @smith2020 says so, and @lee2018 [p. 12] agrees.',
      '',
      'Mail team@example.org or ask @someone: not citations.',
      '',
    ].join('\n'),
    'other.md': '# Other\n\nNo citations here.\n',
  })

  it('formats every pandoc form as APA, and leaves e-mail addresses and mentions alone', () => {
    expect(site.messages).toEqual([])
    expect(cited(site, 'index.html')).toEqual([
      '(Smith & Doe, 2020)',
      '(Kim, 2019, p. 3; Lee, 2018)',
      '(see Ng, 2021)',
      '(2022)',
      'Smith & Doe (2020)',
      'Lee (2018, p. 12)',
    ])
    expect(text(site.page('index.html'), '.prose p:nth-of-type(2)')).toBe('Mail team@example.org or ask @someone: not citations.')
  })

  it('links each work of a citation to its entry in the page’s references', () => {
    const page = site.page('index.html')
    const links = selectAll('.citation-inline a', page).map((a) => [String(a.properties['href']), text({ type: 'root', children: [a] }, 'a')])
    expect(links).toEqual([
      ['#ref-smith2020', '(Smith & Doe, 2020)'],
      ['#ref-kim2019', 'Kim, 2019, p. 3'],
      ['#ref-lee2018', 'Lee, 2018'],
      ['#ref-ng2021', '(see Ng, 2021)'],
      ['#ref-jupyter2022', '(2022)'],
      ['#ref-smith2020', 'Smith & Doe (2020)'],
      ['#ref-lee2018', 'Lee (2018, p. 12)'],
    ])
    for (const [href] of links) expect(select(href!, page)).toBeDefined()
  })

  it('lists the references, in APA order and form, on each page that cites and on the bibliography page', () => {
    const apa = [
      'Kim, B. (2019). Mentoring newcomers. In C. Park (Ed.), Handbook of Open Collaboration (pp. 10–20). Example Press.',
      'Lee, A. (2018). Communities of Practice in Software. Example Press.',
      'Ng, L. (2021). Sustaining research software (Technical Report RSI-7). Research Software Institute.',
      'Project Jupyter. (2022). JupyterHub documentation. https://jupyterhub.readthedocs.io',
      'Smith, J., & Doe, J. (2020). Maintaining open source as care work. Journal of Open Research, 12(3), 45–67. https://doi.org/10.1234/jor.2020.45',
    ]
    expect(texts(site.page('index.html'), 'section.references li')).toEqual(apa)
    expect(text(site.page('index.html'), 'section.references h2')).toBe('References')
    // Titles of books, reports and pages, and journal names, are in italics.
    expect(texts(site.page('index.html'), 'section.references li i')).toEqual([
      'Handbook of Open Collaboration',
      'Communities of Practice in Software',
      'Sustaining research software',
      'JupyterHub documentation',
      'Journal of Open Research',
      '12',
    ])
    expect(selectAll('section.references', site.page('other/index.html'))).toEqual([])
    expect(texts(site.page('bibliography/index.html'), 'section.references li')).toEqual(apa)
    expect(texts(site.page('index.html'), 'nav.site-indexes a')).toContain('Bibliography')
  })

  it('links DOIs', () => {
    const doi = select('#ref-smith2020 a', site.page('index.html'))
    expect(doi?.properties['href']).toBe('https://doi.org/10.1234/jor.2020.45')
  })

  it('reads the files named by `bibliography:` in report.yml, and reports one that is missing at its line', () => {
    const named = buildInMemory({
      'report.yml': 'title: T\nbibliography:\n  - refs/main.bib\n  - refs/missing.bib\n',
      'refs/main.bib': bib,
      'index.md': '# T\n\nAs shown before [@lee2018].\n',
    })
    expect(cited(named, 'index.html')).toEqual(['(Lee, 2018)'])
    expect(where(named.messages.filter((m) => m.severity !== 'info'))).toEqual(['content/report.yml:4:5 bibliography-file-exists'])
  })
})

describe('citations in MyST', () => {
  const myst = 'version: 1\nproject:\n  title: Cited\n  bibliography: [references.bib]\n'

  it('formats {cite}, {cite:p} and {cite:t} like the pandoc forms', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'references.bib': bib,
      'index.md': '# Home\n\n{cite}`smith2020`, {cite:p}`lee2018,kim2019` and {cite:t}`ng2021`; also [@jupyter2022].\n',
    })
    expect(site.messages).toEqual([])
    expect(cited(site, 'index.html')).toEqual(['(Smith & Doe, 2020)', '(Kim, 2019; Lee, 2018)', 'Ng (2021)', '(Project Jupyter, 2022)'])
  })

  it('reports an unknown key where it is written, with the key it probably meant', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'references.bib': bib,
      'index.md': '# Home\n\nFirst [@smith2020; @smth2020].\nThen {cite:p}`lee2018, kim2091` and @nobody.\n',
    })
    // In a MyST project a bare `@nobody` names neither a label nor a work, which MyST warns about too.
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual([
      'content/index.md:3:20 citation-key-exists',
      'content/index.md:4:24 citation-key-exists',
      'content/index.md:4:37 reference-target-exists',
    ])
    // MyST builds on, showing the citation as written: a warning in MyST projects (docs/myst.md, Severities).
    expect(site.messages[0]?.severity).toBe('warning')
    expect(site.messages[0]?.hint).toBe('Did you mean `smith2020`?')
    expect(site.messages[1]?.hint).toBe('Did you mean `kim2019`?')
  })

  it('notes entries that are never cited at their line in the .bib file', () => {
    const site = buildInMemory({ 'myst.yml': myst, 'references.bib': bib, 'index.md': '# Home\n\nOnly [@lee2018].\n' })
    expect(where(site.messages)).toEqual([
      'content/references.bib:2:1 bibliography-entry-cited',
      'content/references.bib:15:1 bibliography-entry-cited',
      'content/references.bib:24:1 bibliography-entry-cited',
      'content/references.bib:31:1 bibliography-entry-cited',
    ])
    expect(site.messages.every((m) => m.severity === 'info')).toBe(true)
    // The bibliography page still lists every entry.
    expect(selectAll('section.references li', site.page('bibliography/index.html'))).toHaveLength(5)
  })

  it('reports a BibTeX file it cannot read at the place of the problem, and repeated keys', () => {
    const broken = buildInMemory({ 'myst.yml': myst, 'references.bib': '@book{a, title = {Open\n', 'index.md': '# Home\n' })
    expect(where(broken.messages)).toEqual(['content/references.bib:2:1 bibtex-valid'])
    const twice = buildInMemory({
      'myst.yml': 'project:\n  bibliography: [a.bib, b.bib]\n',
      'a.bib': '@book{x, author = {A, B}, title = {One}, publisher = {P}, year = {2000}}\n',
      'b.bib': '\n@book{x, author = {C, D}, title = {Two}, publisher = {P}, year = {2001}}\n',
      'index.md': '# Home\n\n[@x]\n',
    })
    expect(where(twice.messages)).toEqual(['content/b.bib:2:1 bibliography-key-unique'])
    expect(cited(twice, 'index.html')).toEqual(['(A, 2000)'])
  })

  it('reports a citation_style file that is not a CSL style, and formats the citations as APA', () => {
    const site = buildInMemory({
      'report.yml': 'title: T\ncitation_style: notes.csl\n',
      'references.bib': bib,
      'notes.csl': 'Square brackets, please.\n',
      'index.md': '# T\n\n[@smith2020]\n',
    })
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual(['content/notes.csl:1:1 citation-style-valid'])
    const message = site.messages.find((m) => m.ruleId === 'citation-style-valid')!
    expect(message.reason).toBe('This file is not a CSL style with a citation and a bibliography layout, so APA is used')
    expect(message.hint).toBe('Download the style from the Zotero style repository, or remove `citation_style` to use APA.')
    expect(cited(site, 'index.html')).toEqual(['(Smith & Doe, 2020)'])
  })

  it('reports a CSL style the formatter cannot use, at the bibliography', () => {
    const site = buildInMemory({
      'report.yml': 'title: T\ncitation_style: broken.csl\n',
      'references.bib': bib,
      'broken.csl':
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><citation><layout><names/></layout></citation><bibliography><layout><frobnicate/></layout></bibliography></style>\n',
      'index.md': '# T\n\n[@smith2020]\n',
    })
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual(['content/references.bib:1:1 citation-style-valid'])
    const message = site.messages.find((m) => m.ruleId === 'citation-style-valid')!
    expect(message.reason).toBe('The citations cannot be formatted: citeproc-js error: Undefined node name "frobnicate".')
    expect(message.hint).toBe('Check the citation style file, or remove `citation_style` to use APA.')
  })

  it('uses a CSL style file named by citation_style in report.yml', () => {
    const style = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Square brackets, by title</title><id>https://example.org/styles/square</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout prefix="[" suffix="]" delimiter=" | ">
      <names variable="author"><name form="short" and="text"/></names>
      <date variable="issued" prefix=" "><date-part name="year"/></date>
    </layout>
  </citation>
  <bibliography>
    <sort><key variable="title"/></sort>
    <layout><text variable="title"/><text value=" — "/><names variable="author"><name/></names></layout>
  </bibliography>
</style>
`
    const site = buildInMemory({
      'report.yml': 'title: T\ncitation_style: square.csl\n',
      'references.bib': bib,
      'square.csl': style,
      'index.md': '# T\n\n[@smith2020; @lee2018]\n',
    })
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual([])
    expect(cited(site, 'index.html')).toEqual(['[Smith and Doe 2020 | Lee 2018]'])
    expect(texts(site.page('index.html'), 'section.references li')).toEqual([
      'Communities of Practice in Software — Ann Lee',
      'Maintaining open source as care work — Jane Smith, John Doe',
    ])
  })
})
