// Reference reading of a yarn 1 lockfile for the yarn_lock differential test: yarn's own parser
// (@yarnpkg/lockfile) reads the file, then the rules documented in
// collectors/inventory/yarn_lock.h are applied independently: an entry is skipped when any of
// its specs (after unwrapping "npm:") has a non-registry range (one with ':' or '/'); the name is
// the first spec's. Prints the distinct "name<TAB>version" pairs, sorted, one a line.
// Usage: node yarn_v1_oracle.js FILE
'use strict'
const fs = require('fs')
const path = require('path')
const lockfile = require(path.join(__dirname, 'node_modules', '@yarnpkg', 'lockfile'))

const parsed = lockfile.parse(fs.readFileSync(process.argv[2], 'utf8'))
if (parsed.type !== 'success') {
  console.error('yarn could not parse the file: ' + parsed.type)
  process.exit(2)
}

// "@scope/name@range" -> [name, range], through an "npm:real@range" alias.
const split = (spec) => {
  const at = spec.indexOf('@', 1)
  let name = at < 0 ? spec : spec.slice(0, at)
  let range = at < 0 ? '' : spec.slice(at + 1)
  if (range.startsWith('npm:')) {
    const inner = range.slice(4)
    const innerAt = inner.indexOf('@', 1)
    if (innerAt < 0) {
      range = inner
    } else {
      name = inner.slice(0, innerAt)
      range = inner.slice(innerAt + 1)
    }
  }
  return [name, range]
}

// The parser gives every spec of an entry its own key, all pointing at one object.
const entries = new Map()
for (const [spec, entry] of Object.entries(parsed.object)) {
  if (!entries.has(entry)) entries.set(entry, [])
  entries.get(entry).push(spec)
}

const pairs = new Set()
for (const [entry, specs] of entries) {
  const split_specs = specs.map(split)
  if (split_specs.some(([, range]) => /[:/]/.test(range))) continue
  pairs.add(split_specs[0][0] + '\t' + entry.version)
}
process.stdout.write([...pairs].sort().map((p) => p + '\n').join(''))
