"""The OKR domain: the model (`model`), the cascade and its scores (`cascade`), the rule for
names that become paths and URLs (`names`), problems and their codes (`problems`), and text
made safe for outputs that are not HTML (`escaping`). Imports nothing else of okrdocs."""
