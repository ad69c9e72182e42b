// Types of bundle.mjs, for the tests that call it.
export declare const entryPoints: Record<string, string>
export declare function sourceHash(root: string): string
export declare function knownSourceHash(root: string, cache: string): string
export declare function bundleOptions(root: string, outdir: string, hash: string, entries?: Record<string, string>): Record<string, unknown>
