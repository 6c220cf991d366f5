# Oracle for parse_gemfile_lock: Bundler's own lockfile parser over a whole Gemfile.lock.
#
# Prints "name<TAB>version" for every spec of a GEM (rubygems) source, the packages patchparty
# keeps; GIT, PATH and plugin sources are left out. The version is Gem::Version's, without the
# platform ("nokogiri (1.13.3-x86_64-linux)" gives "1.13.3").
require "bundler"

lockfile = File.expand_path(ARGV.fetch(0))
# PATH sources resolve their folder against the project root, which Bundler finds from the
# Gemfile beside the lockfile; the Gemfile itself is never read.
ENV["BUNDLE_GEMFILE"] = File.join(File.dirname(lockfile), "Gemfile")
parser = Bundler::LockfileParser.new(File.read(lockfile))
parser.specs.each do |spec|
  next unless spec.source.is_a?(Bundler::Source::Rubygems)
  puts "#{spec.name}\t#{spec.version}"
end
