"""Tasks with due dates on projects, their stage templates and the personal calendar feed."""
