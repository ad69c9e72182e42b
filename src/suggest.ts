// "Did you mean …?" for ids, keys and file names. A report with thousands of
// broken references and thousands of ids would otherwise compare every one
// with every other: candidates are grouped by length, only lengths a typo can
// reach are looked at, and each lookup compares at most a fixed number of them.

import { distance } from 'fastest-levenshtein'

/** Words longer than this get no suggestion: nobody mistypes a paragraph. */
const longestWord = 200

/** Candidates compared per lookup, at most. */
const comparedAtMost = 2000

/** Candidates grouped by length, for many lookups in the same set. */
export interface Suggestions {
  /** The closest candidate, if it is close enough to be a plausible typo. */
  nearest(word: string): string | undefined
}

/** A typo of a word this long changes at most this many characters. */
function reach(length: number): number {
  return Math.max(2, Math.floor(length / 3))
}

export function suggestionsFrom(candidates: Iterable<string>): Suggestions {
  const byLength = new Map<number, { candidate: string; lower: string }[]>()
  for (const candidate of candidates) {
    if (candidate.length > (3 * longestWord) / 2 + 2) continue
    const list = byLength.get(candidate.length) ?? []
    list.push({ candidate, lower: candidate.toLowerCase() })
    byLength.set(candidate.length, list)
  }
  return {
    nearest(word) {
      if (word.length > longestWord) return undefined
      const lower = word.toLowerCase()
      let best: string | undefined
      let bestScore = Infinity
      let compared = 0
      // Lengths the limit below lets through: at most a third more or less, or two characters.
      const shortest = word.length - reach(word.length)
      const longest = Math.max(word.length + 2, Math.floor((3 * word.length) / 2) + 1)
      for (let length = shortest; length <= longest && compared < comparedAtMost; length++) {
        for (const { candidate, lower: other } of byLength.get(length) ?? []) {
          if (++compared > comparedAtMost) break
          const score = distance(lower, other)
          if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
            best = candidate
            bestScore = score
          }
        }
      }
      if (best === undefined) return undefined
      return bestScore <= reach(Math.max(word.length, best.length)) ? best : undefined
    },
  }
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function nearest(word: string, candidates: Iterable<string> | Suggestions): string | undefined {
  return suggestionsIn(candidates).nearest(word)
}

export function didYouMean(word: string, candidates: Iterable<string> | Suggestions): string | undefined {
  const match = nearest(word, candidates)
  return match === undefined ? undefined : `did you mean \`${match}\`?`
}

/** A hint sentence: the suggestion when there is one, else the fallback advice. */
export function hintFor(word: string, candidates: Iterable<string> | Suggestions, fallback: string, spell: (match: string) => string = (m) => m): string {
  const match = nearest(word, candidates)
  return match === undefined ? fallback : `Did you mean \`${spell(match)}\`?`
}

function suggestionsIn(candidates: Iterable<string> | Suggestions): Suggestions {
  return 'nearest' in candidates ? candidates : suggestionsFrom(candidates)
}
