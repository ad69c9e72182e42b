// MyST's less common directives and roles, built as whole projects and read
// back as hast: glossary terms written as links, theorems and exercises with
// their numbers, inline options, literal includes, embeds, tabs, buttons,
// index entries, citation prefixes and suffixes, and DOIs as citation keys.

import type { Root } from 'hast'
import { HtmlValidate } from 'html-validate'
import { describe, expect, it } from 'vitest'
import { attr, buildInMemory, buildProject, select, selectAll, text, texts, where } from './helpers.js'

const myst = 'version: 1\nproject:\n  title: Directives\n'
const page = (...lines: string[]) => ['# Home', '', ...lines, ''].join('\n')
const problems = <T extends { severity: string }>(messages: readonly T[]): T[] => messages.filter((m) => m.severity !== 'info')

describe('glossary terms written as links', () => {
  it('anchors a term written as a link or with markup by its text, so {term} finds it', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': page(
        ':::{glossary}',
        '[Hub](https://example.org/hub)',
        ': A shared server.',
        '',
        '**Kernel**',
        ': The process that runs the code.',
        ':::',
        '',
        'A {term}`Hub` runs a {term}`kernel <Kernel>`.',
      ),
    })
    expect(problems(site.messages)).toEqual([])
    const home = site.page('index.html')
    expect(selectAll('dl.glossary dt', home).map((dt) => dt.properties['id'])).toEqual(['term-hub', 'term-kernel'])
    expect(attr(home, 'dt#term-hub a', 'href')).toBe('https://example.org/hub')
    expect(text(home, 'dt#term-kernel strong')).toBe('Kernel')
    expect(selectAll('.prose p a[href^="#term-"]', home).map((a) => [a.properties['href'], text(a as unknown as Root, 'a')])).toEqual([
      ['#term-hub', 'Hub'],
      ['#term-kernel', 'kernel'],
    ])
  })
})

describe('theorems, proofs and exercises', () => {
  const files = {
    'myst.yml': `${myst}  toc:\n    - file: index.md\n    - file: more.md\n`,
    'index.md': page(
      ':::{prf:theorem} Pythagoras',
      ':label: thm-pythagoras',
      'The squares add up.',
      ':::',
      '',
      '```{prf:lemma}',
      ':label: lem-small',
      'A small step.',
      '```',
      '',
      ':::{proof:definition} Right angle',
      ':nonumber:',
      'Ninety degrees.',
      ':::',
      '',
      ':::{prf:proof}',
      'Draw the squares.',
      ':::',
      '',
      ':::{exercise}',
      ':label: ex-first',
      'Draw a triangle.',
      ':::',
      '',
      ':::{exercise} Harder',
      ':label: ex-second',
      'Prove it.',
      ':::',
      '',
      ':::{solution} ex-second',
      ':class: dropdown',
      'By the lemma.',
      ':::',
      '',
      ':::{solution} ex-first',
      ':hidden:',
      'Not published.',
      ':::',
      '',
      ':::{exercise}',
      ':hidden:',
      'Not published either.',
      ':::',
    ),
    'more.md': [
      '# More',
      '',
      ':::{prf:theorem}',
      ':label: thm-second',
      'Another one.',
      ':::',
      '',
      'See [](index.md#thm-pythagoras), {prf:ref}`thm-second`, {numref}`ex-second`, [](#lem-small), {ref}`thm-pythagoras` and {prf:ref}`the lemma <lem-small>`.',
      '',
    ].join('\n'),
  }

  it('numbers each kind on its own, across pages, and shows titles in parentheses', () => {
    const site = buildInMemory(files)
    expect(problems(site.messages)).toEqual([])
    const home = site.page('index.html')
    expect(texts(home, '.prose > .statement > .statement-title, .prose > details.statement > summary')).toEqual([
      'Theorem 1 (Pythagoras)',
      'Lemma 1',
      'Definition (Right angle)',
      'Proof 1',
      'Exercise 1',
      'Exercise 2 (Harder)',
      'Solution to Exercise 2',
    ])
    expect(selectAll('.prose .statement', home).map((s) => s.properties['className'])).toEqual([
      ['statement', 'statement-theorem'],
      ['statement', 'statement-lemma'],
      ['statement', 'statement-definition'],
      ['statement', 'statement-proof'],
      ['statement', 'statement-exercise'],
      ['statement', 'statement-exercise'],
      ['statement', 'statement-solution'],
    ])
    expect(text(home, 'div#thm-pythagoras > p:last-child')).toBe('The squares add up.')
    expect(text(home, '.prose')).not.toContain('Not published')
    const more = site.page('more/index.html')
    expect(text(more, '#thm-second .statement-title')).toBe('Theorem 2')
  })

  it('folds a dropdown solution, whose title links back to its exercise', () => {
    const home = buildInMemory(files).page('index.html')
    const solution = select('details.statement-solution', home)!
    expect(solution.properties['open']).toBeUndefined()
    expect(attr(solution as unknown as Root, 'summary a', 'href')).toBe('#ex-second')
    expect(text(solution as unknown as Root, 'summary ~ p')).toBe('By the lemma.')
  })

  it('fills in cross-references with the kind and number, or with the text given', () => {
    const more = buildInMemory(files).page('more/index.html')
    expect(selectAll('.prose > p a', more).map((a) => [a.properties['href'], text(a as unknown as Root, 'a')])).toEqual([
      ['../#thm-pythagoras', 'Theorem 1'],
      ['#thm-second', 'Theorem 2'],
      ['../#ex-second', 'Exercise 2'],
      ['../#lem-small', 'Lemma 1'],
      ['../#thm-pythagoras', 'Pythagoras'],
      ['../#lem-small', 'the lemma'],
    ])
  })

  it('warns about a solution that names no exercise, and fails a link to one that does not exist', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': page(':::{solution}', 'Orphaned.', ':::', '', ':::{solution} ex-missing', 'Also orphaned.', ':::'),
    })
    expect(where(problems(site.messages))).toEqual(['content/index.md:3:1 solution-names-exercise', 'content/index.md:7:15 reference-target-exists'])
    expect(site.messages.find((m) => m.ruleId === 'solution-names-exercise')?.severity).toBe('warning')
  })
})

describe('inline options in the directive name', () => {
  it('reads #label, .class and key=value, alone or with options below the fence', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': page(
        ':::{note .dropdown #folded icon=false} Folded away',
        'Hidden at first.',
        ':::',
        '',
        '```{div .wide}',
        ':class: extra',
        'Classes add up.',
        '```',
        '',
        ':::{prf:theorem #thm-inline title="not used"}',
        'Labelled inline.',
        ':::',
        '',
        'See [](#folded) and [](#thm-inline).',
      ),
    })
    // `title` is not an option of a theorem.
    expect(where(problems(site.messages))).toEqual(['content/index.md:12:29 directive-option-known'])
    const home = site.page('index.html')
    expect(text(home, 'details#folded.callout-note > summary')).toBe('Folded away')
    expect(text(home, 'div.extra.wide')).toBe('Classes add up.')
    expect(text(home, '#thm-inline .statement-title')).toBe('Theorem 1')
    expect(texts(home, '.prose > p:last-child a')).toEqual(['Folded away', 'Theorem 1'])
  })

  it('reports a token it cannot read at its column', () => {
    const site = buildInMemory({ 'myst.yml': myst, 'index.md': page(':::{note #ok stray}', 'Body.', ':::') })
    expect(where(site.messages)).toEqual(['content/index.md:3:14 directive-option-known'])
  })
})

describe('{literalinclude}', () => {
  it('shows a code file of the project, or some of its lines, as code in its language', async () => {
    const built = await buildProject({
      'myst.yml': myst,
      'code/model.py': ['import math', '', '# start', 'def area(r):', '    return math.pi * r ** 2', '# end', ''].join('\n'),
      'index.md': page(
        '```{literalinclude} code/model.py',
        '```',
        '',
        '```{literalinclude} code/model.py',
        ':start-after: # start',
        ':end-before: # end',
        ':caption: The area of a circle',
        ':label: code-area',
        '```',
        '',
        '```{literalinclude} code/model.py',
        ':lines: 1, 4-5',
        ':language: text',
        '```',
        '',
        '```{include} code/model.py',
        ':lines: 4',
        ':lang: py',
        '```',
        '',
        'See [](#code-area).',
      ),
    })
    expect(problems(built.result.messages)).toEqual([])
    const home = await built.page('index.html')
    const blocks = selectAll('.prose pre > code', home).map((c) => [c.properties['className'], text(c as unknown as Root, 'code')])
    expect(blocks).toEqual([
      [['language-python'], 'import math # start def area(r): return math.pi * r ** 2 # end'],
      [['language-python'], 'def area(r): return math.pi * r ** 2'],
      [['language-text'], 'import math def area(r): return math.pi * r ** 2'],
      [['language-py'], 'def area(r):'],
    ])
    expect(text(home, 'figure#code-area figcaption')).toBe('Program 1: The area of a circle')
    expect(text(home, '.prose > p:last-of-type a')).toBe('Program 1')
  })

  it('reports a file that is not there at its name', () => {
    const site = buildInMemory({ 'myst.yml': myst, 'index.md': page('```{literalinclude} code/missing.py', '```') })
    expect(where(site.messages)).toEqual(['content/index.md:3:21 include-file-exists'])
    expect(site.messages[0]?.reason).toBe('`{literalinclude}` names `code/missing.py`, but there is no such file in the content folder')
  })
})

describe('{embed}, {button}, {index} and tabs', () => {
  it('shows a labelled block again, on its page or another, with its number and no second anchor', () => {
    const site = buildInMemory({
      'myst.yml': `${myst}  toc:\n    - file: index.md\n    - file: notes/other.md\n`,
      'chart.png': 'png',
      'index.md': page('```{figure} chart.png', ':label: fig-chart', 'The chart.', '```', '', ':::{prf:theorem} Shown twice', ':label: thm-twice', 'Body.', ':::', '', ':::{embed} thm-twice', ':::'),
      'notes/other.md': ['# Other', '', ':::{embed} #fig-chart', ':::', '', '```{embed} fig-nowhere', '```', '', 'See [](#fig-chart).', ''].join('\n'),
    })
    expect(where(problems(site.messages))).toEqual(['content/notes/other.md:6:1 reference-target-exists'])
    const home = site.page('index.html')
    expect(texts(home, '.prose > .statement .statement-title, .prose > .embed > .statement .statement-title')).toEqual(['Theorem 1 (Shown twice)', 'Theorem 1 (Shown twice)'])
    expect(selectAll('[id="thm-twice"]', home)).toHaveLength(1)
    // Its image is found from the page that shows it.
    const other = site.page('notes/other/index.html')
    expect(text(other, '.prose figure figcaption')).toBe('Figure 1: The chart.')
    expect(attr(other, '.prose figure', 'id')).toBeUndefined()
    expect(attr(other, '.prose figure img', 'src')).toBe('../../chart.png')
    expect(attr(other, '.prose > p a', 'href')).toBe('../../#fig-chart')
  })

  it('makes tabs disclosures, the selected one open, and buttons links; index entries are accepted and not shown', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': page(
        '::::{tab-set}',
        ':::{tab-item} Python',
        'Python code.',
        ':::',
        ':::{tab-item} R',
        ':selected:',
        'R code.',
        ':::',
        '::::',
        '',
        ':::{index} single: notebooks',
        ':::',
        '',
        '{button}`Read more <https://example.org/more>`, {button}`<https://example.org/>` and {button}`No target`; an {index}`entry` in the text.',
      ),
    })
    expect(problems(site.messages)).toEqual([])
    const home = site.page('index.html')
    expect(texts(home, '.tab-set > details.tab-item > summary')).toEqual(['Python', 'R'])
    expect(selectAll('.tab-set > details.tab-item', home).map((d) => d.properties['open'] === true)).toEqual([false, true])
    expect(text(home, '.tab-set > details[open] > p')).toBe('R code.')
    expect(selectAll('a.button', home).map((a) => [a.properties['href'], text(a as unknown as Root, 'a')])).toEqual([
      ['https://example.org/more', 'Read more'],
      ['https://example.org/', 'https://example.org/'],
    ])
    expect(text(home, 'span.button')).toBe('No target')
    expect(text(home, '.prose > p:last-child')).toBe('Read more, https://example.org/ and No target; an entry in the text.')
  })
})

describe('citation roles with prefixes and suffixes, and DOIs as keys', () => {
  const bib = [
    '@article{smith2020,',
    '  author = {Smith, Jane and Doe, John},',
    '  title = {Shared notebooks},',
    '  journal = {Teaching Journal},',
    '  year = {2020},',
    '  doi = {10.1000/shared}',
    '}',
    '',
  ].join('\n')
  const files = (body: string) => ({ 'myst.yml': `${myst}  bibliography: [references.bib]\n`, 'references.bib': bib, 'index.md': page(body) })

  it('reads {see}key{p. 3} in {cite:p} and {cite:t}', () => {
    const site = buildInMemory(files('One {cite:p}`{see}smith2020{p. 3}`, two {cite:t}`smith2020{p. 12}`, three {cite:p}`{e.g.}smith2020`.'))
    expect(problems(site.messages)).toEqual([])
    expect(texts(site.page('index.html'), '.citation-inline')).toEqual(['(see Smith & Doe, 2020, p. 3)', 'Smith & Doe (2020, p. 12)', '(e.g. Smith & Doe, 2020)'])
  })

  it('cites the entry with a DOI, and links a DOI with no entry to doi.org with a warning at the key', () => {
    const site = buildInMemory(files('Known {cite}`10.1000/shared` and [@10.1000/SHARED]; unknown {cite:p}`10.5281/zenodo.123` and\n[see @10.1234/abc.def, p. 4]; bare @10.1000/shared.'))
    expect(where(problems(site.messages))).toEqual(['content/index.md:3:70 citation-doi-in-bibliography', 'content/index.md:4:6 citation-doi-in-bibliography'])
    expect(site.messages.filter((m) => m.ruleId === 'citation-doi-in-bibliography').map((m) => m.severity)).toEqual(['warning', 'warning'])
    const home = site.page('index.html')
    expect(texts(home, '.citation-inline')).toEqual(['(Smith & Doe, 2020)', '(Smith & Doe, 2020)', '(10.5281/zenodo.123)', '(see 10.1234/abc.def, p. 4)', 'Smith & Doe (2020)'])
    expect(selectAll('.citation-inline a[href^="https://doi.org/"]', home).map((a) => a.properties['href'])).toEqual([
      'https://doi.org/10.5281/zenodo.123',
      'https://doi.org/10.1234/abc.def',
    ])
    expect(texts(home, 'section.references li')).toHaveLength(1)
  })
})

describe('the HTML of these blocks', () => {
  it('is valid, with theorems, solutions, tabs, buttons and DOI citations on one page', async () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': page(
        ':::{prf:theorem} Pythagoras',
        ':label: thm-p',
        'The squares add up.',
        ':::',
        '',
        ':::{exercise}',
        ':label: ex-a',
        'Draw it.',
        ':::',
        '',
        ':::{solution} ex-a',
        ':class: dropdown',
        'Drawn.',
        ':::',
        '',
        '::::{tab-set}',
        ':::{tab-item} One',
        'First.',
        ':::',
        ':::{tab-item} Two',
        'Second.',
        ':::',
        '::::',
        '',
        ':::{embed} thm-p',
        ':::',
        '',
        '{button}`Go <https://example.org/>` and [@10.5281/zenodo.123], as [](#thm-p) says.',
      ),
    })
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-trailing-whitespace': 'off' } })
    const report = await validator.validateString(site.files.get('index.html')!, 'index.html')
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([])
    expect(selectAll('.statement', site.page('index.html'))).toHaveLength(4)
  })
})
