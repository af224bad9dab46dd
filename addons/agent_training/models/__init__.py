from . import training_course
