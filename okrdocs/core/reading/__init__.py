"""Reading an OKR folder: YAML front matter with lines (`frontmatter`), fields and their
problems (`fields`), files into the model (`loading`), the JSON Schema of the fields
(`schema`) and new files written for authors (`authoring`)."""
