// MyST's inline attributes, written in a directive's name:
//
//   :::{note .dropdown #a-note open=true title="Two words"}
//
// `#id` is the label, each `.class` adds a class, and `key=value` (quoted when
// it holds spaces) is an option, as if written `:key: value` under the fence.

export interface InlineAttribute {
  /** The option it sets: `label`, `class`, or the key as written. */
  key: string
  value: string
  /** Where the token starts in the attribute text, counting from 0. */
  offset: number
}

const token = /#([^\s#."'=]+)|\.([^\s#."'=]+)|([\w-]+)=(?:"([^"]*)"|'([^']*)'|(\S+))|(\S+)/g

/** The attributes written after a directive's name, in order; a token of no known form is returned with `key` `''`. */
export function readInlineAttributes(text: string): InlineAttribute[] {
  const found: InlineAttribute[] = []
  for (const match of text.matchAll(token)) {
    const [, id, className, key, double, single, plain, other] = match
    const offset = match.index
    if (id !== undefined) found.push({ key: 'label', value: id, offset })
    else if (className !== undefined) found.push({ key: 'class', value: className, offset })
    else if (key !== undefined) found.push({ key, value: double ?? single ?? plain ?? '', offset })
    else found.push({ key: '', value: other ?? '', offset })
  }
  return found
}
