from .reference import load_organization


def seed(command):
    counts = load_organization()
    command.stdout.write(
        "Referensi: {offices} OPD, {kecamatan} kecamatan, {kelurahan} kelurahan, {holidays} hari libur".format(**counts)
    )
