#!/usr/bin/python3
"""A held-out shapes set drawn by a second program (PIL), under the corpus grammar.

It shares no code with generate.ts: its own colours (PIL/CSS-like named colours with small
jitter), its own placement (centres drawn from the whole image, sizes 12-22 px), PIL's own
drawing (ImageDraw.ellipse / rectangle / polygon, aliased; or drawn at 4x and downsampled with
LANCZOS for smooth edges), an equilateral triangle with its centroid as centre, a plain or noisy
background of grey 200-255, and PNG or JPEG files (quality 85-95).

Writes OUT/img/ID.png|jpg, OUT/heldout/images.scp ("ID img/ID.ext") and OUT/heldout/references
(every correct caption, relation by the rule: |dx| >= |dy| -> left of / right of, else above / below).

    /usr/bin/python3 recipes/shapes-caption/draw_heldout.py --out exp/shapes-caption/pil --count 400 --seed 7
"""
import argparse
import math
import os
import random

from PIL import Image, ImageDraw

COLOURS = {
    "red": [(255, 0, 0), (220, 20, 60), (200, 30, 30)],
    "green": [(0, 128, 0), (34, 139, 34), (0, 180, 0)],
    "blue": [(0, 0, 255), (30, 60, 200), (65, 105, 225)],
    "yellow": [(255, 215, 0), (255, 230, 0), (240, 200, 20)],
}
SHAPES = ["circle", "square", "triangle"]


def relation(a, b):
    dx, dy = a["x"] - b["x"], a["y"] - b["y"]
    if abs(dx) >= abs(dy):
        return "left of" if dx < 0 else "right of"
    return "above" if dy < 0 else "below"


def phrase(s):
    return f"a {s['colour']} {s['kind']}"


def references(shapes):
    if len(shapes) == 1:
        return [phrase(shapes[0])]
    a, b = shapes
    refs = [f"{phrase(a)} {relation(a, b)} {phrase(b)}", f"{phrase(b)} {relation(b, a)} {phrase(a)}"]
    return list(dict.fromkeys(refs))


def bbox(s):
    r = s["size"] / 2
    return (s["x"] - r, s["y"] - r, s["x"] + r, s["y"] + r)


def layout(rng):
    n = 1 if rng.random() < 0.25 else 2
    while True:
        shapes = []
        for _ in range(n):
            size = rng.uniform(12, 22)
            shapes.append({
                "kind": rng.choice(SHAPES), "colour": rng.choice(list(COLOURS)), "size": size,
                "x": rng.uniform(size / 2 + 1, 63 - size / 2), "y": rng.uniform(size / 2 + 1, 63 - size / 2),
            })
        if n == 1:
            return shapes
        a, b = shapes
        dx, dy = abs(a["x"] - b["x"]), abs(a["y"] - b["y"])
        ba, bb = bbox(a), bbox(b)
        overlap = not (ba[2] + 1 < bb[0] or bb[2] + 1 < ba[0] or ba[3] + 1 < bb[1] or bb[3] + 1 < ba[1])
        if not overlap and max(dx, dy) >= 1.5 * min(dx, dy) + 6:
            return shapes


def draw(shapes, rng):
    scale = 4 if rng.random() < 0.5 else 1
    grey = rng.randint(200, 255)
    img = Image.new("RGB", (64 * scale, 64 * scale), (grey, grey, grey))
    d = ImageDraw.Draw(img)
    for s in shapes:
        base = rng.choice(COLOURS[s["colour"]])
        rgb = tuple(max(0, min(255, c + rng.randint(-15, 15))) for c in base)
        x, y, r = s["x"] * scale, s["y"] * scale, s["size"] / 2 * scale
        if s["kind"] == "circle":
            d.ellipse([x - r, y - r, x + r, y + r], fill=rgb)
        elif s["kind"] == "square":
            d.rectangle([x - r, y - r, x + r, y + r], fill=rgb)
        else:  # equilateral, pointing up, centroid at (x, y): circumradius R = side / sqrt(3)
            R = 2 * r / math.sqrt(3)
            pts = [(x + R * math.cos(math.radians(a)), y - R * math.sin(math.radians(a))) for a in (90, 210, 330)]
            d.polygon(pts, fill=rgb)
    if scale > 1:
        img = img.resize((64, 64), Image.LANCZOS)
    if rng.random() < 0.3:
        sigma = rng.uniform(2, 6)
        px = img.load()
        for i in range(64):
            for j in range(64):
                px[j, i] = tuple(max(0, min(255, int(round(v + rng.gauss(0, sigma))))) for v in px[j, i])
    return img


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=400)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "img"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "heldout"), exist_ok=True)
    scp, refs = [], []
    for i in range(args.count):
        shapes = layout(rng)
        img = draw(shapes, rng)
        uid = f"pil-{i + 1:04d}"
        if rng.random() < 0.3:
            name = f"img/{uid}.jpg"
            img.save(os.path.join(args.out, name), quality=rng.randint(85, 95))
        else:
            name = f"img/{uid}.png"
            img.save(os.path.join(args.out, name))
        scp.append(f"{uid} {name}\n")
        refs.extend(f"{uid} {r}\n" for r in references(shapes))
    with open(os.path.join(args.out, "heldout", "images.scp"), "w") as f:
        f.writelines(scp)
    with open(os.path.join(args.out, "heldout", "references"), "w") as f:
        f.writelines(refs)
    print(f"wrote {args.count} images to {args.out}")


if __name__ == "__main__":
    main()
