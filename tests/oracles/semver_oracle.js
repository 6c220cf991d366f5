// Reference answers from node's own semver package, for the differential tests.
// Input, one request a line, fields separated by U+001F:
//   cmp <a> <b>      -> lt | eq | gt | invalid
//   sat <v> <range>  -> true | false | invalid-version | invalid-range
// One output line per input line, in order.
'use strict'
const path = require('path')
const semver = require(path.join(__dirname, 'node_modules', 'semver'))
const readline = require('readline')

const valid = (v) => {
  try {
    new semver.SemVer(v)
    return true
  } catch (e) {
    return false
  }
}

const answer = (line) => {
  const [op, a, b] = line.split('\x1f')
  if (op === 'cmp') {
    if (!valid(a) || !valid(b)) return 'invalid'
    const c = semver.compare(a, b)
    return c < 0 ? 'lt' : c > 0 ? 'gt' : 'eq'
  }
  if (op === 'sat') {
    if (!valid(a)) return 'invalid-version'
    let range
    try {
      range = new semver.Range(b)
    } catch (e) {
      return 'invalid-range'
    }
    return range.test(a) ? 'true' : 'false'
  }
  return 'bad-request'
}

const out = []
readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', (line) => out.push(answer(line)))
  .on('close', () => process.stdout.write(out.join('\n') + (out.length ? '\n' : '')))
