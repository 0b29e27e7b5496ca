import {InputError} from '../../errors.js'

/** How many problems are listed in one error message; the rest are counted. */
const LISTED_PROBLEMS = 10
const KEPT_PROBLEMS = 1000

/** Every problem found in one file; thrown at once as one `file:line: message` error (the first line first). */
export class Problems {
  private readonly list: {line: number; message: string}[] = []
  private dropped = 0

  constructor(readonly file: string) {}

  add(line: number, message: string): void {
    if (this.list.length < KEPT_PROBLEMS) this.list.push({line, message})
    else this.dropped++
  }

  get count(): number {
    return this.list.length + this.dropped
  }

  throwIfAny(): void {
    if (this.count === 0) return
    const sorted = [...this.list].sort((a, b) => a.line - b.line)
    const [first, ...rest] = sorted
    let message = first.message
    if (rest.length > 0) {
      const more = rest.slice(0, LISTED_PROBLEMS - 1).map((p) => `\n  ${this.file}:${p.line}: ${p.message}`)
      const unlisted = this.count - 1 - more.length
      message +=
        `\n${this.count - 1} more problem${this.count > 2 ? 's' : ''} in this file:` +
        more.join('') +
        (unlisted > 0 ? `\n  … and ${unlisted} more` : '')
    }
    throw new InputError(this.file, first.line, message)
  }
}
