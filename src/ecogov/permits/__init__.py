"""Pollutant discharge permits (排污许可证) and discharge registrations (排污登记)."""
