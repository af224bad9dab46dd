"""Selections borrowed from another model's field, with that field's translated labels.

A callable selection is not translated by Odoo (only static lists are, through
``ir.model.fields.selection``), so the labels are taken from the source field in the
reader's language, falling back to the English source while terms are not loaded yet.
"""


def borrowed_selection(model_name, field_name):
    def selection(self):
        field = self.env[model_name]._fields[field_name]
        labels = {}
        if self.env.lang and self.env.lang != "en_US":
            labels = dict(field._description_selection(self.env))
        return [(value, labels.get(value) or label) for value, label in field.selection]

    return selection
