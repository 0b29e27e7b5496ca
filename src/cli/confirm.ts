import readline from 'node:readline/promises'

/** Ask on the terminal (stderr) and return whether the answer was "yes". */
export async function confirmYes(question: string): Promise<boolean> {
  const rl = readline.createInterface({input: process.stdin, output: process.stderr})
  try {
    const answer = await rl.question(question)
    return answer.trim().toLowerCase() === 'yes'
  } finally {
    rl.close()
  }
}
