<?php
// Reference answers from Composer's own composer/semver, for the differential tests.
// Input, one request a line, fields separated by U+001F:
//   cmp <a> <b>           -> lt | eq | gt | none (two different branches) | invalid
//   sat <v> <constraint>  -> true | false | invalid-version | invalid-range
// cmp orders as Semver::sort does: normalize, dev-master/-trunk/-default as 9999999-dev.
// U+001E in a field stands for a newline, which cannot travel inside a line.
require '/usr/share/php/Composer/Semver/autoload.php';

use Composer\Semver\Comparator;
use Composer\Semver\Semver;
use Composer\Semver\VersionParser;

// Notices ("undefined array key") must not land in the answers.
set_error_handler(function () { return true; });

$parser = new VersionParser();

function answer(VersionParser $parser, string $line): string
{
    $f = explode("\x1f", $line);
    if (count($f) !== 3) {
        return 'bad-request';
    }
    [$op, $a, $b] = str_replace("\x1e", "\n", $f);
    if ($op === 'cmp') {
        try {
            $x = $parser->normalizeDefaultBranch($parser->normalize($a));
            $y = $parser->normalizeDefaultBranch($parser->normalize($b));
        } catch (\Throwable $e) {
            return 'invalid';
        }
        if ($x === $y) {
            return 'eq';
        }
        $found = [];
        if (Comparator::lessThan($x, $y)) {
            $found[] = 'lt';
        }
        if (Comparator::equalTo($x, $y)) {
            $found[] = 'eq';
        }
        if (Comparator::greaterThan($x, $y)) {
            $found[] = 'gt';
        }
        return $found ? implode(',', $found) : 'none';
    }
    if ($op === 'sat') {
        try {
            $parser->normalize($a);
        } catch (\Throwable $e) {
            return 'invalid-version';
        }
        try {
            $parser->parseConstraints($b);
        } catch (\Throwable $e) {
            return 'invalid-range';
        }
        return Semver::satisfies($a, $b) ? 'true' : 'false';
    }
    return 'bad-request';
}

$out = fopen('php://stdout', 'w');
while (($line = fgets(STDIN)) !== false) {
    fwrite($out, answer($parser, rtrim($line, "\n")) . "\n");
}
