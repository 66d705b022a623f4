// Runs the Nest Swagger CLI plugin inside ts-jest, so the OpenAPI document the tests see is the
// one `nest build` produces (same options as nest-cli.json).
const transformer = require('@nestjs/swagger/plugin');
const options = require('../../nest-cli.json').compilerOptions.plugins[0].options;

module.exports.name = 'nestjs-swagger-transformer';
// Part of ts-jest's cache key: bump it when the output changes, so no stale compiled file stays.
module.exports.version = 3;
// ts-jest asks for the transformers on every emit, but its `program` is the one its language
// service had when it started, which holds none of the files compiled since: against it the
// plugin cannot resolve a return or property type, and documents `{ type: object }` where
// `nest build` writes a $ref (MeDto, TokenPairDto.user ...). The language service's current
// program is the one being emitted.
module.exports.factory = (cs) =>
  transformer.before(options, cs._languageService?.getProgram() ?? cs.program);
