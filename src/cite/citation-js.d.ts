// The parts of citation-js (and the citeproc engine it wraps) that cite/ uses.
// The packages ship no types of their own.

declare module '@citation-js/core' {
  export type CslItem = { id: string; type?: string; [field: string]: unknown }

  export class Cite {
    constructor(data: unknown, options?: { forceType?: string })
    data: CslItem[]
  }

  export interface CitationItem {
    id: string
    locator?: string
    label?: string
    prefix?: string
    suffix?: string
    'suppress-author'?: boolean
    'author-only'?: boolean
  }

  export interface CitationCluster {
    citationID: string
    citationItems: CitationItem[]
    properties: { noteIndex: number }
  }

  export interface BibliographyParams {
    entry_ids: string[][]
    bibstart: string
    bibend: string
  }

  export interface CslEngine {
    rebuildProcessorState(citations: CitationCluster[], format: string, uncited: string[]): [string, number, string][]
    makeCitationCluster(items: CitationItem[]): string
    updateItems(ids: string[]): void
    updateUncitedItems(ids: string[]): void
    makeBibliography(): [BibliographyParams, string[]] | false
    opt: { development_extensions: { wrap_url_and_doi: boolean } }
  }

  export interface Register<T> {
    has(name: string): boolean
    get(name: string): T
    add(name: string, value: T): void
    list(): string[]
  }

  export const plugins: {
    input: {
      /** One step of parsing: `@biblatex/text` gives the file's entries, with `@string` macros expanded. */
      data(input: unknown, type: string): unknown
    }
    config: {
      get(name: '@csl'): {
        engine(data: CslItem[], style: string, locale: string | undefined, format: string): CslEngine
        styles: Register<string>
        locales: Register<string>
      }
    }
  }

  export const logger: { _log: unknown[] }
}

declare module '@citation-js/plugin-bibtex' {}
declare module '@citation-js/plugin-csl' {}
