# Sphinx configuration for building the module's documentation on its own
# (tools/build-doc.sh, ctest 'doc.sphinx'). In an ns-3 tree the chapters are included
# in ns-3's own model library instead, and this file is not used.
project = "apartment-voip"
author = "apartment-voip developers"
master_doc = "apartment-voip"
exclude_patterns = ["replace.txt"]
highlight_language = "cpp"
html_theme = "alabaster"
