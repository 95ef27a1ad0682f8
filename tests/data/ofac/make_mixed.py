#!/usr/bin/env python3
# Run from tests/data/ofac/mixed:  python3 ../make_mixed.py
# Builds tests/data/ofac/mixed: a small OFAC file set holding both the SDN and the
# non-SDN group, with one remarks field cut at 1000 characters (see test_ofac_csv.c).
head = "DOB 02 Feb 1970; POB Minsk, Belarus; nationality Belarus; Gender Male; Passport MP1234567 (Belarus) issued 01 Jan 2010; "
tail = "a.k.a. 'SOKOL'; a.k.a. 'FALCON THE GREAT'; Linked To: ALPHA HOLDING."
need = 1000 - len(head) - (tail.index("FALCON") + 3)
pieces = []
total = 0
i = 0
while need - total > 60:
    p = "Linked To: FILLER COMPANY %03d; " % i
    pieces.append(p); total += len(p); i += 1
rem = need - total
last = "Linked To: FILLER " + "X" * (rem - len("Linked To: FILLER ") - 2) + "; "
assert len(last) == rem
filler = "".join(pieces) + last
full = head + filler + tail
first, rest = full[:1000], full[1000:]
assert first.endswith("'FAL"), first[-20:]
def w(name, lines):
    open(name, "wb").write(("\r\n".join(lines) + "\r\n").encode() + b"\x1a")
w("sdn.csv", [
 '100,"KOVALEV, Ivan Petrovich","individual","BELARUS-EO14038",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"%s"' % first,
 '200,"ALPHA HOLDING LLC",-0- ,"BELARUS-EO14038] [RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Tax ID No. 7701234567 (Russia); Registration Number 1027700000001 (Russia); Target Type Private Company."',
])
w("sdn_comments.csv", ['100,"%s"' % rest])
w("add.csv", ['200,1,"Tverskaya 1","Moscow 125009","Russia",-0- ', '100,2,-0- ,"Minsk","Belarus",-0- '])
w("alt.csv", ['100,3,"aka","KOVALYOV, Ivan",-0- '])
w("cons_prim.csv", [
 '200,"ALPHA HOLDING LLC",-0- ,"MENU-EO13662",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Executive Order 13662 Directive Determination - Subject to Directive 1."',
 '300,"BETA BANK",-0- ,"MENU-EO13662",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"SWIFT/BIC BETARUMM; Website www.beta.example."',
])
w("cons_alt.csv", ['300,4,"fka","OLD BETA BANK",-0- ', '200,5,"aka","ALPHA HOLDING",-0- '])
w("cons_add.csv", ['300,6,-0- ,"Moscow","Russia",-0- '])
print(len(first), repr(first[-60:]), repr(rest))
