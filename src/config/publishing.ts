// Does the build know where the site is published? A project whose workflow
// deploys to GitHub Pages is served at an address the build cannot guess
// (often under a sub-path, such as https://org.github.io/report/); without it
// there is no sitemap, no canonical links and no full address in the
// citation. Pure: the loader has read the workflows.

import { isPair, isScalar, parseDocument, visit } from 'yaml'
import type { SourceFile } from '../load/files.js'
import { createMessage, placeAt, type Message } from '../messages.js'

export interface PublishingInput {
  /** The project's workflow files (load/workflows.ts). */
  workflows: readonly SourceFile[]
  /** The site's address, from report.yml or given to the build; undefined when neither has one. */
  siteUrl: string | undefined
  /** report.yml as authors see it (`content/report.yml`), named in the hint; undefined for a MyST project, whose myst.yml has no such key. */
  configFile: string | undefined
  /** report.yml's `repository`, from which the Pages address of a GitHub repository is suggested. Default: none. */
  repository?: string | undefined
}

/** A `site-url-known` warning at each step that deploys to GitHub Pages, when the build has no address for the site and no workflow passes one. */
export function checkPagesAddress(input: PublishingInput): Message[] {
  if (input.siteUrl !== undefined) return []
  const deploys: { file: SourceFile; offset: number }[] = []
  let passesAddress = false
  for (const file of input.workflows) {
    const doc = parseDocument(file.text)
    // A workflow GitHub cannot read publishes nothing; reporting it is GitHub's job.
    if (doc.errors.length > 0) continue
    visit(doc, {
      Pair(_, pair) {
        if (!isPair(pair) || !isScalar(pair.key) || !isScalar(pair.value) || typeof pair.value.value !== 'string') return
        const value = pair.value.value
        if (pair.key.value === 'uses' && /^actions\/deploy-pages@/.test(value)) deploys.push({ file, offset: pair.value.range?.[0] ?? 0 })
        if (pair.key.value === 'run' && /--site-url\b/.test(value)) passesAddress = true
      },
    })
  }
  if (passesAddress) return []
  const address = pagesAddress(input.repository) ?? 'https://<owner>.github.io/<repository>/'
  const passIt = 'build with `--site-url` set to the `base_url` output of actions/configure-pages (see docs/publishing.md)'
  return deploys.map(({ file, offset }) =>
    createMessage(
      'site-url-known',
      file.display,
      placeAt(file.text, offset),
      `This workflow publishes the site to GitHub Pages, but the build does not know the site's address: ${input.configFile ?? 'the project'} has no \`site_url\`, and no step passes \`--site-url\``,
      input.configFile === undefined
        ? `In the step that builds the site, ${passIt}.`
        : `Add \`site_url: ${address}\` to ${input.configFile} (the address Settings → Pages shows), or ${passIt}.`,
    ),
  )
}

/** The GitHub Pages address of a github.com repository: `https://org.github.io/report/`, or `https://org.github.io/` for the repository `org.github.io`. */
export function pagesAddress(repository: string | undefined): string | undefined {
  const match = repository === undefined ? null : /^https?:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/i.exec(repository)
  if (!match) return undefined
  const owner = match[1]!.toLowerCase()
  const name = match[2]!
  return name.toLowerCase() === `${owner}.github.io` ? `https://${owner}.github.io/` : `https://${owner}.github.io/${name}/`
}
