// Runs the Nest Swagger CLI plugin inside ts-jest, so the OpenAPI document the tests see is the
// one `nest build` produces (same options as nest-cli.json).
const transformer = require('@nestjs/swagger/plugin');
const options = require('../../nest-cli.json').compilerOptions.plugins[0].options;

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 2;
module.exports.factory = (cs) => transformer.before(options, cs.program);
