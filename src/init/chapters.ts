// The example chapters of a new report: an introduction, a methods chapter, a
// theme with two findings backed by paraphrased quotes, and two
// recommendations that address them. The prose tells the research team what
// each part is for, so that replacing it teaches the forms.

/** Our own dialect (report.yml), or MyST's (myst.yml), which writes blocks as `:::{finding}` with options. */
export type Dialect = 'ours' | 'myst'

interface Block {
  kind: 'finding' | 'recommendation'
  id: string
  options?: { addresses: string; audience: string; horizon: string }
  body: string
}

function block({ kind, id, options, body }: Block, dialect: Dialect): string {
  if (dialect === 'myst') {
    const lines = [`:::{${kind}}`, `:label: ${id}`]
    if (options) lines.push(`:addresses: ${options.addresses}`, `:audience: ${options.audience}`, `:horizon: ${options.horizon}`)
    return `${lines.join('\n')}\n${body}:::\n`
  }
  const attributes = options ? ` addresses="${options.addresses}" audience="${options.audience}" horizon="${options.horizon}"` : ''
  return `:::${kind}{#${id}${attributes}}\n${body}:::\n`
}

/** Each chapter's path in the content folder and its text. */
export function chapters(dialect: Dialect, title: string): [string, string][] {
  return [
    ['index.md', introduction(title.replace(/\s+/g, ' '))],
    ['methods.md', methods],
    ['themes/getting-started.md', theme(dialect)],
    // At the address of the generated recommendations page, which it becomes: its text above the table.
    ['recommendations.md', recommendations(dialect)],
  ]
}

// The title goes into front matter as a JSON string, which YAML reads as it is.
const introduction = (title: string) => `---
title: ${JSON.stringify(title)}
short_title: Introduction
---

# ${title.replace(/^#+\s*/, '')}

This is the first page readers see. Say here, in a paragraph or two, what the study set out to
learn, who it is for, and what it found. The text below is an example: replace it with your own.

## Why we did this study

New volunteers at community organisations often leave within a few weeks. We wanted to know what
their first weeks are like, and what helps them stay. Over two months we spoke with coordinators,
programme leads and new volunteers.

## How to read this report

The [methods](methods.md) chapter says whom we spoke to and how we worked. The theme chapter,
[Getting started](themes/getting-started.md), holds our findings, each backed by what participants
told us. The [recommendations](recommendations.md) chapter makes two recommendations, each linked to the
findings it answers.
`

const methods = `---
title: How we did the study
short_title: Methods
---

# How we did the study

A methods chapter tells readers how much weight the findings can bear. Replace this example with
your own study's details.

## Whom we spoke to

We held semi-structured interviews of about an hour with three people: a volunteer coordinator, a
programme lead and a new volunteer. Each person is known in this report by a label such as P01,
and \`participants.yml\` records what each agreed to: to be named, to be quoted without their name,
or not to be quoted at all. Someone who chose not to be quoted does not appear in the report, not
even by label.

## How we worked

Two of us read every transcript, marked the passages that spoke to our questions, and grouped them
into themes. Each finding was then checked against the transcripts by someone who had not written
it.

## About the quotes

Quotes are paraphrased: they keep what the person meant in plainer or shorter words, and each one
is marked as a paraphrase where it appears.
`

function theme(dialect: Dialect): string {
  const findings: Block[] = [
    {
      kind: 'finding',
      id: 'first-week-unclear',
      body: `## The first week is unclear

New volunteers often do not know where to be, whom to ask, or what a good first week looks like.
Several gave up on a shift because no one had told them where it was.

> I turned up for my first shift at the wrong building, and by the time I found the right one it
> was nearly over.
> — P01 (paraphrased)
`,
    },
    {
      kind: 'finding',
      id: 'buddies-keep-people',
      body: `## A named buddy keeps people coming back

Volunteers who were paired with someone more experienced stayed longer, and said the pairing made
it easy to ask questions they would otherwise have kept to themselves.

> The ones who stay are nearly always the ones someone took under their wing in the first month.
> — P02 (paraphrased)
`,
    },
  ]
  return `---
title: Getting started
---

# Getting started

A theme chapter groups related findings. Each finding has an id, a short title, a paragraph that
states it, and the quotes that back it. The two below are examples.

${findings.map((f) => block(f, dialect)).join('\n')}`
}

function recommendations(dialect: Dialect): string {
  const items: Block[] = [
    {
      kind: 'recommendation',
      id: 'r-first-week-guide',
      options: { addresses: 'first-week-unclear', audience: 'Coordinators', horizon: 'short' },
      body: `## Send a first-week guide

Before a volunteer's first shift, send a one-page guide: where to go, whom to ask for, and what
the first week will hold. It answers [](#first-week-unclear).
`,
    },
    {
      kind: 'recommendation',
      id: 'r-buddy-scheme',
      options: { addresses: 'buddies-keep-people', audience: 'Programme leads', horizon: 'medium' },
      body: `## Pair every newcomer with a buddy

Ask experienced volunteers to take one newcomer each for their first month, and thank them for
it. It builds on [](#buddies-keep-people).
`,
    },
  ]
  return `---
title: Recommendations
---

# Recommendations

Each recommendation says which findings it addresses, who should act on it, and how soon. The
site links them both ways. Because this chapter is called \`recommendations.md\`, it is the site's
recommendations page: this text comes first, then a table of every recommendation in the report.

${items.map((r) => block(r, dialect)).join('\n')}`
}
