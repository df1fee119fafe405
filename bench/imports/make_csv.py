#!/usr/bin/env python3
"""Writes a lead CSV like a purchased list or a CRM export: varied names and companies, phones typed in the
formats people use, ~1% rows repeating an earlier email and ~0.5% an earlier phone (so dedupe has work).
Usage: make_csv.py ROWS OUT.csv   (seeded: the same ROWS always give the same file)"""
import random, sys

rows, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261121)
syllables = ["an", "ba", "chi", "da", "el", "fa", "go", "ha", "is", "jo", "ka", "li", "mo", "na", "or", "pe", "qui",
             "ra", "si", "ta", "ul", "va", "wen", "xi", "ya", "zo", "ber", "cor", "dan", "fin", "gar", "hol", "ler", "mar",
             "nel", "son", "ton", "vik", "war", "ley"]
def name(parts):
    return "".join(rng.choice(syllables) for _ in range(parts)).capitalize()
firsts = [name(rng.choice([2, 2, 3])) for _ in range(4000)]
lasts = [name(rng.choice([2, 3, 3, 4])) for _ in range(20000)]
suffixes = ["Inc", "LLC", "Group", "Labs", "Partners", "Systems", "Co", "Holdings", "Studio", "Logistics"]
companies = [f"{name(rng.choice([2, 3]))} {rng.choice(suffixes)}" for _ in range(50000)]
areas = [201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224, 225, 228, 229, 231,
         234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270, 276, 281, 301, 302, 303, 304, 305, 307,
         308, 309, 310, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321, 323, 325, 330, 331, 334, 336, 337, 339, 347,
         351, 352, 360, 361, 385, 386, 401, 402, 404, 405, 406, 407, 408, 409, 410, 412, 413, 414, 415, 417, 419, 423,
         424, 425, 430, 432, 434, 435, 440, 442, 443, 469, 470, 475, 478, 479, 480, 484, 501, 502, 503, 504, 505, 507,
         508, 509, 510, 512, 513, 515, 516, 517, 518, 520, 530, 540, 541, 551, 559, 561, 562, 563, 567, 570, 571, 573,
         574, 575, 580, 585, 586, 601, 602, 603, 605, 606, 607, 608, 609, 610, 612, 614, 615, 616, 617, 618, 619, 620,
         623, 626, 630, 631, 636, 641, 646, 650, 651, 660, 661, 662, 678, 682, 701, 702, 703, 704, 706, 707, 708, 712,
         713, 714, 715, 716, 717, 718, 719, 720, 724, 727, 731, 732, 734, 740, 754, 757, 760, 762, 763, 765, 770, 772,
         773, 774, 775, 781, 785, 786, 801, 802, 803, 804, 805, 806, 808, 810, 812, 813, 814, 815, 816, 817, 818, 828,
         830, 831, 832, 843, 845, 847, 848, 850, 856, 857, 858, 859, 860, 862, 863, 864, 865, 870, 878, 901, 903, 904,
         906, 907, 908, 909, 910, 912, 913, 914, 915, 916, 917, 918, 919, 920, 925, 928, 931, 936, 937, 940, 941, 947,
         949, 951, 952, 954, 956, 970, 971, 972, 973, 978, 979, 980, 985, 989]
formats = ["({a}) {e}-{l}", "{a}-{e}-{l}", "+1 {a} {e} {l}", "{a}{e}{l}", "1-{a}-{e}-{l}", "{a}.{e}.{l}"]
titles = ["", "", "CEO", "CTO", "VP Sales", "Head of Operations", "Buyer", "Office Manager", "Founder", "Director, IT"]
sources = ["trade show", "webinar", "purchased list", "referral", "website"]
emails, phones = [], []
with open(out, "w", newline="") as f:
    f.write("First Name,Last Name,Email,Phone,Company,Title,Source\n")
    for i in range(rows):
        first, last, company = rng.choice(firsts), rng.choice(lasts), rng.choice(companies)
        if emails and rng.random() < 0.01:
            email = rng.choice(emails)
        else:
            email = f"{first.lower()}.{last.lower()}{i}@{company.split()[0].lower()}.example"
            if len(emails) < 50000: emails.append(email)
        if phones and rng.random() < 0.005:
            phone = rng.choice(phones)
        else:
            phone = rng.choice(formats).format(a=rng.choice(areas), e=rng.randint(200, 999), l=f"{rng.randint(0, 9999):04d}")
            if len(phones) < 50000: phones.append(phone)
        title = rng.choice(titles)
        if "," in title: title = f'"{title}"'
        f.write(f"{first},{last},{email},{phone},{company},{title},{rng.choice(sources)}\n")
