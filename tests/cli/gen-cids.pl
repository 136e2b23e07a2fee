#!/usr/bin/perl
# gen-cids.pl COUNT [FIRST]: print COUNT distinct valid CIDv1 (raw codec, sha2-256 multihash of
# 32 bytes made from the number, not a real hash: the cluster never fetches them in tests), one
# per line, for numbers FIRST (default 1) upwards. The same number always gives the same CID.
use strict;
use warnings;

my ($count, $first) = @ARGV;
die "usage: gen-cids.pl COUNT [FIRST]\n" unless defined $count && $count =~ /^\d+$/;
$first = 1 unless defined $first;
my @alphabet = split //, "abcdefghijklmnopqrstuvwxyz234567";

sub base32 {
  my $bits = unpack("B*", $_[0]);
  $bits .= "0" x ((5 - length($bits) % 5) % 5);
  return join "", map { $alphabet[oct("0b$_")] } ($bits =~ /(.{5})/g);
}

for my $n ($first .. $first + $count - 1) {
  my $digest = pack("a4 N N x20", "clts", int($n / 4294967296), $n % 4294967296);
  print "b", base32("\x01\x55\x12\x20" . $digest), "\n";
}
