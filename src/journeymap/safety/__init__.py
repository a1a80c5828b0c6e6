"""What keeps hostile maps harmless in every output: links judged and made canonical, the
allow-list check of every SVG we emit, and files written atomically and never through a symlink."""
