app_name = "pengaduan"

urlpatterns = []
