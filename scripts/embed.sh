#!/bin/sh
# Writes, on standard output, an assembly file that puts each FILE into the binary and a
# table SYMBOL of {name, bytes, size} entries ending with a NULL name (src/web/assets.h).
# Usage: embed.sh SYMBOL FILE...   (paths relative to the current directory)
set -eu
symbol=$1
shift
echo '.section .rodata'
i=0
for file in "$@"; do
	printf '.Lname%d: .asciz "%s"\n' "$i" "$file"
	printf '.Ldata%d: .incbin "%s/%s"\n.Lend%d: .byte 0\n' "$i" "$(pwd)" "$file" "$i"
	i=$((i + 1))
done
printf '.section .data.rel.ro\n.balign 8\n.global %s\n%s:\n' "$symbol" "$symbol"
i=0
for file in "$@"; do
	printf '.quad .Lname%d, .Ldata%d, .Lend%d - .Ldata%d\n' "$i" "$i" "$i" "$i"
	i=$((i + 1))
done
echo '.quad 0, 0, 0'
echo '.section .note.GNU-stack,"",@progbits'
