"""The OCR jobs users run: each a function here and an ``ocrkit`` subcommand.

Import the job you need from its module (``from ocrkit.pipelines.sudoku import
read_sudoku``): modules load their models and engines only when called.
"""
