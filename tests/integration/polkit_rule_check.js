// Runs a polkit rules file the way polkitd does (polkit.addRule callbacks asked in order, the
// first answer other than NOT_HANDLED wins) against the decisions it must make for patchparty.
// Usage: node polkit_rule_check.js RULES_FILE; exit 0 when every decision is as expected.
"use strict";
const fs = require("fs");
const vm = require("vm");

const file = process.argv[2];
const rules = [];
// polkit's own definitions (src/polkitbackend/init.js).
const polkit = {
  Result: {
    NO: "no",
    YES: "yes",
    AUTH_SELF: "auth_self",
    AUTH_SELF_KEEP: "auth_self_keep",
    AUTH_ADMIN: "auth_admin",
    AUTH_ADMIN_KEEP: "auth_admin_keep",
    NOT_HANDLED: null,
  },
  addRule: (rule) => rules.push(rule),
  addAdminRule: () => {},
  log: (msg) => console.log("polkit.log: " + msg),
  spawn: () => {
    throw new Error("the rule must not spawn programs");
  },
};
vm.runInNewContext(fs.readFileSync(file, "utf8"), { polkit }, { filename: file });

function decide(actionId, user, details) {
  const action = { id: actionId, lookup: (key) => details[key] };
  const subject = {
    user,
    groups: [user],
    isInGroup: (g) => g === user,
    isInNetGroup: () => false,
    local: false,
    active: false,
    pid: 4242,
    session: "",
    seat: "",
  };
  for (const rule of rules) {
    const result = rule(action, subject);
    if (result !== null && result !== undefined) return result;
  }
  return "not handled";
}

const manage = "org.freedesktop.systemd1.manage-units";
const cases = [
  [manage, "patchparty", { unit: "patchparty-rollback@shop.service", verb: "start" }, "yes"],
  [manage, "patchparty", { unit: "patchparty-rollback@web-1.2.service", verb: "start" }, "yes"],
  [manage, "patchparty", { unit: "patchparty-rollback@shop.service", verb: "stop" }, "not handled"],
  [manage, "patchparty", { unit: "patchparty-rollback@shop.service", verb: "restart" }, "not handled"],
  [manage, "patchparty", { unit: "nginx.service", verb: "start" }, "not handled"],
  [manage, "patchparty", { unit: "patchparty-rollback@.service", verb: "start" }, "not handled"],
  [manage, "patchparty", { unit: "xpatchparty-rollback@shop.service", verb: "start" }, "not handled"],
  [manage, "patchparty", { unit: "patchparty-rollback@shop.service.bak", verb: "start" }, "not handled"],
  [manage, "www-data", { unit: "patchparty-rollback@shop.service", verb: "start" }, "not handled"],
  ["org.freedesktop.systemd1.manage-unit-files", "patchparty", { unit: "patchparty-rollback@shop.service", verb: "start" }, "not handled"],
];
let failed = 0;
for (const [id, user, details, want] of cases) {
  const got = decide(id, user, details);
  if (got !== want) {
    failed++;
    console.log(`FAIL ${id} ${user} ${JSON.stringify(details)}: ${got}, expected ${want}`);
  }
}
if (rules.length === 0) {
  console.log("FAIL the file added no rule");
  process.exit(1);
}
console.log(`${cases.length - failed} decisions as expected, ${failed} not`);
process.exit(failed === 0 ? 0 : 1);
