"""What the tests share: factories, sample archives, admin form data and scratch databases."""
