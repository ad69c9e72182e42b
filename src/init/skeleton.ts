// The files `fieldnotes init` writes for a new report: a project that builds
// at once with no messages, as an example a research team replaces. Pure: the
// files' paths and text from the answers; init.ts does the writing.

import { chapters, type Dialect } from './chapters.js'

export interface InitAnswers {
  /** The report's title. Default: `defaultTitle`. */
  title?: string
  /** Authors' names, in order. Default: none. */
  authors?: readonly string[]
  /** Licence of the report's text, as an SPDX id. Default: CC-BY-4.0. */
  license?: string
  /** A MyST project (myst.yml) rather than our own (content/report.yml). Default: false. */
  myst?: boolean
}

export const defaultTitle = 'What we heard: an interview study'
export const defaultLicense = 'CC-BY-4.0'

export interface Skeleton {
  /** Path (with `/`) → text, for every file but package.json. */
  files: Map<string, string>
  /** What package.json must hold: fieldnotes as a devDependency, and the scripts. */
  packageJson: { devDependencies: Record<string, string>; scripts: Record<string, string> }
}

/** The new project's files. `name` is the project folder's name, `version` the range of fieldnotes to depend on, `today` the report's date. */
export function skeleton(answers: InitAnswers, context: { name: string; version: string; today: string }): Skeleton {
  const title = answers.title?.trim() || defaultTitle
  const authors = (answers.authors ?? []).map((a) => a.trim()).filter((a) => a !== '')
  const license = answers.license?.trim() || defaultLicense
  const dialect: Dialect = answers.myst ? 'myst' : 'ours'
  // Our own reports keep the content in content/; a MyST project keeps it beside myst.yml.
  const content = dialect === 'myst' ? '' : 'content/'
  const files = new Map<string, string>()
  files.set(dialect === 'myst' ? 'myst.yml' : 'content/report.yml', dialect === 'myst' ? mystYml(title, authors, license, context.today) : reportYml(title, authors, license, context.today))
  files.set(`${content}participants.yml`, participantsYml)
  for (const [file, text] of chapters(dialect, title)) files.set(`${content}${file}`, text)
  files.set('.github/workflows/site.yml', workflow)
  files.set('.gitignore', gitignore)
  files.set('README.md', readme(title, content))
  return {
    files,
    packageJson: {
      devDependencies: { fieldnotes: context.version },
      scripts: { build: 'fieldnotes build', check: 'fieldnotes check', dev: 'fieldnotes dev', test: 'fieldnotes check --strict' },
    },
  }
}

/** The file names of the chapters, in reading order; the same in both dialects. */
export const toc = ['index.md', 'methods.md', 'themes/getting-started.md', 'recommendations.md']

// YAML values are written as JSON strings, which YAML reads as they are, whatever they hold.
const yamlText = (value: string) => JSON.stringify(value)

function reportYml(title: string, authors: string[], license: string, today: string): string {
  return `# The report's metadata. Every key is described in the fieldnotes docs (authoring.md).
title: ${yamlText(title)}
description: >-
  An example report made by fieldnotes init. Replace this sentence with two or three that say
  what the study asked and what it found; it is shown on the landing page and in search results.
date: ${today}
language: en
license: ${yamlText(license)}
${authors.length === 0 ? '# authors:\n#   - name: Your Name\n#     orcid: 0000-0002-1825-0097\n' : `authors:\n${authors.map((name) => `  - name: ${yamlText(name)}\n`).join('')}`}# Set this once the site is published, so that links shared elsewhere and the 404 page work:
# site_url: https://your-team.github.io/your-report/
# Print the full report to report.pdf on every build (needs Chromium; see publishing.md):
# pdf: true
# Write the full report as a Word document, report.docx, on every build:
# docx: true
# Colours, fonts and width (theming.md); custom.css in this folder is loaded after the site's CSS:
# theme:
#   accent: "#1a4d8c"
#   fonts:
#     body: humanist
# remark and rehype plugins installed in this project (plugins.md):
# plugins:
#   remark:
#     - remark-smartypants
toc:
${toc.map((file) => `  - file: ${file}\n`).join('')}`
}

function mystYml(title: string, authors: string[], license: string, today: string): string {
  return `# A MyST project, built by fieldnotes (its docs/myst.md says what it reads here).
version: 1
project:
  title: ${yamlText(title)}
  description: >-
    An example report made by fieldnotes init. Replace this sentence with two or three that say
    what the study asked and what it found.
  date: ${today}
  license: ${yamlText(license)}
${authors.length === 0 ? '' : `  authors:\n${authors.map((name) => `    - name: ${yamlText(name)}\n`).join('')}`}  toc:
${toc.map((file) => `    - file: ${file}\n`).join('')}`
}

const participantsYml = `# Everyone you interviewed, by label. Quotes name the label (— P01), and the site
# shows the label and role next to each quote. Keep real names out of this file
# unless the person agreed to be named.
#
# consent says what each person agreed to:
#   named      may be quoted, with their name (add \`name:\`); listed with it
#   anonymous  may be quoted by label and role only; listed by label
#   no-quotes  may not be quoted at all (the check stops any quote of them)
#              and is left off the participants page
participants:
  - id: P01
    role: Volunteer coordinator
    consent: anonymous
  - id: P02
    role: Programme lead
    consent: named
    name: Sam Example
  - id: P03
    role: New volunteer
    consent: no-quotes
`

// The workflow docs/publishing.md gives report projects (a test keeps the two the same), with a note on top.
const workflow = `# Checks every pull request, and publishes main to GitHub Pages.
# Once, in the repository's Settings > Pages, set "Source" to "GitHub Actions".
# With \`pdf: true\` in content/report.yml, the published site also offers the PDF.
name: Report site

on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:

permissions: {}

jobs:
  check:
    name: Check the report
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          # The whole history, so "Last updated" shows each file's last commit.
          fetch-depth: 0
          persist-credentials: false
      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0
        with:
          node-version: '22'
          cache: npm
      - run: npm ci --no-audit --no-fund
      # Problems show on the pull request's diff.
      - run: npm run check

  build:
    name: Build the site
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    # Debian, for its Chromium package, which prints the PDF.
    container: node:22-bookworm
    permissions:
      contents: read
      # For actions/configure-pages, which reads the site's address from the Pages settings.
      pages: read
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          fetch-depth: 0
          persist-credentials: false
      - name: Let git read the checkout (owned by another user in the container)
        run: git config --global --add safe.directory "$GITHUB_WORKSPACE"
      - name: See whether report.yml asks for the PDF
        id: report
        run: |
          if grep -Eiq '^pdf:[[:space:]]*true[[:space:]]*(#.*)?$' content/report.yml; then
            echo "pdf=true" >> "$GITHUB_OUTPUT"
          fi
      - name: Install Chromium to print the PDF
        if: steps.report.outputs.pdf == 'true'
        run: |
          apt-get update -qq
          apt-get install -y -qq chromium >/dev/null
      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0
        with:
          node-version: '22'
          cache: npm
      - run: npm ci --no-audit --no-fund
      - id: pages
        uses: actions/configure-pages@983d7736d9b0ae728b81ab479565c72886d7745b # v5.0.0
      - name: Build the site
        env:
          SITE_URL: \${{ steps.pages.outputs.base_url }}
        run: npm run build -- --site-url "$SITE_URL"
      - uses: actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa # v3.0.1
        with:
          path: dist/

  deploy:
    name: Publish to GitHub Pages
    needs: build
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    # One deployment at a time; a newer push waits rather than cancelling one halfway.
    concurrency:
      group: pages
      cancel-in-progress: false
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5
`

const gitignore = `node_modules/
# The built site: dist is a link to the hidden folder last written.
/dist
.dist-*
.dist.lock*
.cache/
# Consent review sheets (npx fieldnotes quotes) hold every quote: keep them out of the repository.
/review
.review-*
.review.lock*
`

function readme(title: string, content: string): string {
  // `content` is `content/` in our own dialect, and empty in a MyST project.
  return `# ${title}

This repository holds an interview-study report, written in markdown and published as a website
with [fieldnotes](https://www.npmjs.com/package/fieldnotes).

## Writing

- ${content ? '`content/` holds the report: `report.yml`' : 'This folder holds the report: `myst.yml`'} (title, authors, the order of the
  chapters), \`participants.yml\` (who was interviewed, and what they agreed to) and one markdown
  file per chapter.
- The chapters here are an example. Replace their text with your own, keeping the forms: a
  ${content ? '`:::finding`' : '`:::{finding}`'} block for each finding, quotes ending with \`— P01\`, and recommendations that
  say which findings they address.

## Previewing

You need Node.js 20.19 or newer. Once: \`npm install\`. Then \`npm run dev\` and open
<http://127.0.0.1:4321/>; pages reload as you save. \`npm run check\` lists every problem with its
file, line and column, and how to fix it.

## Publishing

Every pull request is checked. Each change merged into \`main\` is published to GitHub Pages by
\`.github/workflows/site.yml\`, once the repository's Settings > Pages has "Source" set to
"GitHub Actions".
`
}
