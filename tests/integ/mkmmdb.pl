#!/usr/bin/perl
# mkmmdb.pl - writes small MaxMind-format databases for geo.t with
# Debian's MaxMind::DB::Writer (libmaxmind-db-writer-perl).
#
#   mkmmdb.pl asn OUT CIDR=ASN...        GeoLite2-ASN layout
#   mkmmdb.pl country OUT CIDR=CC...     GeoLite2-Country layout
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my ($kind, $out, @nets) = @ARGV;
my %types = $kind eq 'asn'
    ? (autonomous_system_number => 'uint32',
       autonomous_system_organization => 'utf8_string')
    : (country => 'map', iso_code => 'utf8_string');
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version => 6,
    record_size => 24,
    database_type => $kind eq 'asn' ? 'GeoLite2-ASN' : 'GeoLite2-Country',
    languages => ['en'],
    description => { en => 'nftop test database' },
    map_key_type_callback => sub { $types{ $_[0] } },
    alias_ipv6_to_ipv4 => 1,
    remove_reserved_networks => 0,
);
for my $n (@nets) {
	my ($cidr, $v) = split /=/, $n;
	my $data = $kind eq 'asn'
	    ? { autonomous_system_number => $v + 0,
		autonomous_system_organization => "AS$v" }
	    : { country => { iso_code => $v } };
	$tree->insert_network($cidr, $data);
}
open my $fh, '>:raw', $out or die "$out: $!";
$tree->write_tree($fh);
close $fh;
