import {BaseCommand} from '../../src/cli/base-command.js'
import {mappingJsonSchema} from '../../src/mapping/schema.js'

export default class MappingSchema extends BaseCommand {
  static override summary =
    'Print the JSON Schema of mapping files (generated from the zod schema) for editor completion.'
  static override examples = ['<%= config.bin %> mapping schema > mappings/mapping.schema.json']

  async run(): Promise<Record<string, unknown>> {
    await this.parse(MappingSchema)
    const schema = mappingJsonSchema()
    if (!this.jsonEnabled()) this.log(JSON.stringify(schema, null, 2))
    return schema
  }
}
