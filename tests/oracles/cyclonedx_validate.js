// Validates CycloneDX JSON documents against the official schema, for the SBOM writer and reader
// tests. Usage: node cyclonedx_validate.js <1.4|1.5|1.6> <file>...
// Prints "<file>: valid" or "<file>: invalid" followed by ajv's errors, one a line; exits 0 only
// when every file is valid, 2 on bad usage or unreadable input.
//
// The schemas are the ones @cyclonedx/cyclonedx-library ships (res/schema). bom-1.x refers to
// "spdx.SNAPSHOT.schema.json" and "jsf-0.82.SNAPSHOT.schema.json", relative to its own $id, so
// those are registered under the URLs the references resolve to; remote loading is off, so an
// unresolved reference fails the compile instead of reaching the network.
'use strict'
const fs = require('fs')
const path = require('path')
const modules = path.join(__dirname, 'node_modules')
const Ajv = require(path.join(modules, 'ajv'))
const addFormats = require(path.join(modules, 'ajv-formats'))
const addDraft2019Formats = require(path.join(modules, 'ajv-formats-draft2019'))

const schemaDir = path.join(modules, '@cyclonedx', 'cyclonedx-library', 'res', 'schema')
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf-8'))

const [version, ...files] = process.argv.slice(2)
if (!['1.4', '1.5', '1.6'].includes(version) || files.length === 0) {
  console.error('usage: node cyclonedx_validate.js <1.4|1.5|1.6> <file>...')
  process.exit(2)
}

const base = 'http://cyclonedx.org/schema/'
const schemas = {}
for (const name of ['spdx', 'jsf-0.82', 'cryptography-defs']) {
  schemas[base + name + '.SNAPSHOT.schema.json'] =
    readJson(path.join(schemaDir, name + '.SNAPSHOT.schema.json'))
}
const ajv = new Ajv({
  strict: false, // the CycloneDX schemas use annotations ajv's strict mode does not know
  allErrors: true,
  schemas,
  loadSchema: (uri) => { throw new Error('remote schemas are disabled: ' + uri) }
})
addFormats(ajv)
addDraft2019Formats(ajv, { formats: ['idn-email', 'iri-reference'] })
const validate = ajv.compile(readJson(path.join(schemaDir, `bom-${version}.SNAPSHOT.schema.json`)))

let ok = true
for (const file of files) {
  let doc
  try {
    doc = readJson(file)
  } catch (e) {
    console.log(`${file}: unreadable: ${e.message}`)
    process.exit(2)
  }
  if (validate(doc)) {
    console.log(`${file}: valid`)
    continue
  }
  ok = false
  console.log(`${file}: invalid`)
  for (const e of validate.errors) console.log(`  ${e.instancePath || '/'} ${e.message}`)
}
process.exit(ok ? 0 : 1)
