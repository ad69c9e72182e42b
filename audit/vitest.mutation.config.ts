// The test configuration for mutation runs (audit/mutation.ts): the same as
// the suite's, but only the test files that exercise the module under
// mutation, named in FIELDNOTES_MUTATION_TESTS, so that each mutant costs
// seconds rather than a whole run with browsers.

import { defineConfig } from 'vitest/config'

const tests = (process.env['FIELDNOTES_MUTATION_TESTS'] ?? '').split(',').filter(Boolean)

export default defineConfig({
  test: {
    include: tests.length > 0 ? tests : ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
