/**
 * A recreated account's username: the old one with its unit suffix replaced by the new unit's code
 * (`nguyenvana.13672` → `nguyenvana.13669`); later candidates number the name (`nguyenvana2.13669`).
 */
export function usernameCandidates(oldUsername: string, newUnitCode: string, count = 5): string[] {
  const base = oldUsername.replace(/\.[0-9]{2,5}$/, '')
  return Array.from({length: count}, (_, i) => `${i === 0 ? base : `${base}${i + 1}`}.${newUnitCode}`)
}
