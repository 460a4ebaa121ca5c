"""What okrdocs keeps between runs: the cache folder and its files (`cache_files`), okrdocs'
code as part of every key (`identity`), and parsed files and findings (`parse_cache`)."""
