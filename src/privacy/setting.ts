// The one roster setting the command line reads before anything else loads.

/** The environment variable that names the roster file when `--private-roster` is not given. */
export const rosterEnvVar = 'FIELDNOTES_PRIVATE_ROSTER'
