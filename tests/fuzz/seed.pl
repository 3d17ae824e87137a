#!/usr/bin/env perl
# tests/fuzz/seed.pl OUTDIR SPEC.txt... — writes the input of every example of
# the spec files (format: the header of tests/spec/frontmatter.txt) to
# OUTDIR/spec-FILE-NAME, decoded to raw bytes, as a seed corpus for fuzz_doc.
use strict;
use warnings;
my $out = shift or die "usage: seed.pl OUTDIR SPEC.txt...\n";
my $fence = '`' x 16;
for my $spec (@ARGV) {
    open my $fh, '<:raw', $spec or die "$spec: $!\n";
    (my $base = $spec) =~ s{.*/}{};
    $base =~ s/\.txt$//;
    my ($name, $in, @lines);
    while (my $l = <$fh>) {
        chomp $l;
        if (!defined $name) {
            if ($l =~ /^$fence example (\S+)/) { $name = $1; $in = 1; @lines = (); }
            next;
        }
        if ($l eq $fence) {
            $name = undef;
            next;
        }
        if ($in && $l eq '.') {
            $in = 0;
            my $bytes = '';
            for my $x (@lines) {
                my $eol = "\n";
                $eol = '' if $x =~ s/\x{e2}\x{9f}\x{a8}noeol\x{e2}\x{9f}\x{a9}$//;  # ⟨noeol⟩
                $x =~ s/\x{e2}\x{9f}\x{a8}BOM\x{e2}\x{9f}\x{a9}/\xEF\xBB\xBF/g;    # ⟨BOM⟩
                $x =~ s/\x{e2}\x{9f}\x{a8}x([0-9A-Fa-f]{2})\x{e2}\x{9f}\x{a9}/chr(hex($1))/ge; # ⟨xHH⟩
                $x =~ s/\x{e2}\x{86}\x{92}/\t/g;   # →
                $x =~ s/\x{e2}\x{90}\x{8d}/\r/g;   # ␍
                $x =~ s/\x{e2}\x{90}\x{80}/\0/g;   # ␀
                $bytes .= $x . $eol;
            }
            (my $safe = $name) =~ s/[^A-Za-z0-9_.-]/_/g;
            open my $o, '>:raw', "$out/spec-$base-$safe" or die "$out: $!\n";
            print $o $bytes;
            close $o;
            next;
        }
        push @lines, $l if $in;
    }
}
