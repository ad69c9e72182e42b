// "Did you mean …?" for ids, keys and file names.

import { distance } from 'fastest-levenshtein'

/** The closest candidate, if it is close enough to be a plausible typo. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestScore = Infinity
  const lower = word.toLowerCase()
  for (const candidate of candidates) {
    const score = distance(lower, candidate.toLowerCase())
    if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
      best = candidate
      bestScore = score
    }
  }
  if (best === undefined) return undefined
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3))
  return bestScore <= limit ? best : undefined
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = nearest(word, candidates)
  return match === undefined ? undefined : `did you mean \`${match}\`?`
}

/** A hint sentence: the suggestion when there is one, else the fallback advice. */
export function hintFor(word: string, candidates: Iterable<string>, fallback: string, spell: (match: string) => string = (m) => m): string {
  const match = nearest(word, candidates)
  return match === undefined ? fallback : `Did you mean \`${spell(match)}\`?`
}
