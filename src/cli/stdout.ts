/**
 * Writes to stdout in order, waiting for each chunk; when the reader has gone (`sapxep show plan | head`),
 * it stops quietly like other tools do.
 */
export class StdoutWriter {
  private gone = false

  constructor() {
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.gone = true
    })
  }

  get readerGone(): boolean {
    return this.gone
  }

  write(s: string): Promise<void> {
    if (this.gone) return Promise.resolve()
    return new Promise((resolve, reject) => {
      process.stdout.write(s, (err) => {
        if (!err) return resolve()
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') {
          this.gone = true
          return resolve()
        }
        reject(err)
      })
    })
  }
}
