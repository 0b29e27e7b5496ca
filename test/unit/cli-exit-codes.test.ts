import {describe, expect, it} from 'vitest'
import MappingValidate from '../../commands/mapping/validate.js'
import Plan, {type PlanOutput} from '../../commands/plan.js'
import RegistryStats from '../../commands/registry/stats.js'
import Verify from '../../commands/verify.js'
import {ExitCode, type ValidationReport, type VerifyReport} from '../../src/index.js'

/** The exit codes results map to (README "Exit codes"); the base command sets them, with and without --json. */
describe('exit code of a result', () => {
  it('verify: 0 when every check passes, 3 with a message when one fails', () => {
    const report: VerifyReport = {ok: true, subject: 'run 1', checks: []}
    expect(Verify.outcome(report)).toEqual({exit: ExitCode.ok})
    expect(Verify.outcome({...report, ok: false})).toEqual({
      exit: 3,
      message: 'verification of run 1 failed',
    })
  })

  it('mapping validate: 1 when the mappings are invalid, without a message (the report says it)', () => {
    const report = {valid: false} as ValidationReport
    expect(MappingValidate.outcome(report)).toEqual({exit: 1})
    expect(MappingValidate.outcome({...report, valid: true})).toEqual({exit: 0})
  })

  it('plan: 2 with --detailed-exitcode when there are changes, 0 otherwise', () => {
    const result = {summary: {operations: 46}} as PlanOutput
    const none = {summary: {operations: 0}} as PlanOutput
    expect(Plan.outcome(result, {'detailed-exitcode': true})).toEqual({exit: ExitCode.changes})
    expect(Plan.outcome(none, {'detailed-exitcode': true})).toEqual({exit: 0})
    expect(Plan.outcome(result, {'detailed-exitcode': false})).toEqual({exit: 0})
  })

  it('other commands: 0 for any result (their failures are errors)', () => {
    expect(RegistryStats.outcome({}, {})).toEqual({exit: 0})
  })
})
