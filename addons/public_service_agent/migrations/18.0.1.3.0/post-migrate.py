"""Alerts, evaluation links and deliveries now use the dossier's own contact data.

Dossiers filed before held none (backend, contact centre, demo): they take their citizen's,
as a new dossier filed without contact data does (``psa.dossier._psa_default_contact``).
"""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE psa_dossier d
           SET filed_name = COALESCE(d.filed_name, p.name),
               filed_phone = NULLIF(p.phone, ''),
               filed_email = NULLIF(p.email, '')
          FROM res_partner p
         WHERE p.id = d.citizen_id
           AND COALESCE(d.filed_phone, '') = '' AND COALESCE(d.filed_email, '') = ''
        """
    )
    cr.execute(
        """
        UPDATE psa_dossier d
           SET street = NULLIF(p.street, ''), ward_id = p.ward_id
          FROM res_partner p
         WHERE p.id = d.citizen_id
           AND COALESCE(d.street, '') = '' AND d.ward_id IS NULL
        """
    )
